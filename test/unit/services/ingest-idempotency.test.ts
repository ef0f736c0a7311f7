import { beforeEach, expect, it } from 'vitest';
import type { DeliveryMessage } from '../../../shared/core/types.js';
import { ConflictError } from '../../../shared/errors.js';
import { ingestEvent } from '../../../shared/services/ingest.js';
import { app, key, notifier } from '../../contract/fixtures.js';
import { memoryHerald, type MemoryHerald } from '../../support/fakes.js';

/** ingestEvent() with an idempotency key, on in-memory stores: an app `shop` with one webhook notifier. */
let herald: MemoryHerald;

beforeEach(async () => {
  herald = await memoryHerald();
  await herald.apps.create(app('shop'), key('shop'), 'hash', notifier('shop', { default: true }));
});

const deployed = { type: 'app_deployed', severity: 'info', title: 'Deployed v42', data: { version: '42', region: 'eu' } } as const;
const post = (body: object, idempotencyKey = 'deploy-42') => ingestEvent(herald, 'shop', { ...deployed, ...body }, idempotencyKey);

it('accepts an event under a fresh key: a new event id, its delivery queued', async () => {
  const answer = await post({});
  expect(answer).toMatchObject({ eventId: expect.stringMatching(/^evt_/), deliveries: 1, duplicate: false });
  expect(herald.queued('webhook').map((m) => m.event.id)).toEqual([answer.eventId]);
});

it('answers a repeat of the same body (its keys in another order) with the first answer, as a duplicate, and queues nothing', async () => {
  const first = await post({});
  herald.queued('webhook');
  const repeat = await ingestEvent(
    herald,
    'shop',
    { data: { region: 'eu', version: '42' }, title: 'Deployed v42', severity: 'info', type: 'app_deployed' },
    'deploy-42',
  );
  expect(repeat).toEqual({ ...first, duplicate: true });
  expect(herald.queued('webhook')).toEqual([]);
});

it('refuses the same key with another body (409), and queues nothing', async () => {
  await post({});
  herald.queued('webhook');
  await expect(post({ title: 'Deployed v43' })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/different event/) });
  expect(herald.queued('webhook')).toEqual([]);
});

/** The first request claims the key, then dies while queueing: its event is never stored. */
async function firstRequestDies(): Promise<DeliveryMessage[]> {
  const handed: DeliveryMessage[] = [];
  const dying = {
    ...herald,
    queue: {
      enqueue: async (messages: DeliveryMessage[]) => {
        handed.push(...messages);
        throw new Error('the function timed out');
      },
    },
  };
  await expect(ingestEvent(dying, 'shop', deployed, 'deploy-42')).rejects.toThrow(/timed out/);
  return handed;
}

it('refuses a repeat while the first request is still at work (409: retry in a few seconds)', async () => {
  await firstRequestDies();
  herald.time.advance(20);
  const repeat = post({});
  await expect(repeat).rejects.toBeInstanceOf(ConflictError);
  await expect(repeat).rejects.toThrow(/still being processed/);
  expect(herald.queued('webhook')).toEqual([]);
});

it('takes over a claim whose request died (30 s on) and resumes it with the same event and delivery ids', async () => {
  const handed = await firstRequestDies();
  herald.time.advance(31);
  const resumed = await post({});
  expect(resumed).toMatchObject({ eventId: handed[0]?.event.id, deliveries: 1, duplicate: false });
  expect(herald.queued('webhook').map((m) => m.delivery.id)).toEqual(handed.map((m) => m.delivery.id));
  // The event is stored now: a repeat gets this answer.
  expect(await post({})).toEqual({ ...resumed, duplicate: true });
});
