// First: the metrics tests below read what is published.
import '../../support/metrics-on.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Delivery, DeliveryMessage, Notifier } from '../../../shared/core/types.js';
import { ConflictError } from '../../../shared/errors.js';
import { ingestEvent } from '../../../shared/services/ingest.js';
import { overdueOf, publishSweep, sweep } from '../../../shared/services/sweeper.js';
import { app, delivery, event, key, notifier, ref } from '../../contract/fixtures.js';
import { memoryHerald, type MemoryHerald } from '../../support/fakes.js';

/**
 * Events in: ingest's idempotency, and the sweeper, which queues what ingest left unqueued and
 * disables failing notifiers (telling the app through ingest). One file, because each test
 * file loads ingest's module graph afresh (a second of the 5 s test/unit/services may take).
 * On in-memory stores: an app `shop` whose default notifier is a webhook that takes Herald's notices.
 */

let herald: MemoryHerald;
let hook: Notifier;

beforeEach(async () => {
  herald = await memoryHerald();
  hook = notifier('shop', { default: true, events: ['*', 'notifier_disabled'] });
  await herald.apps.create(app('shop'), key('shop'), 'hash', hook);
});

describe('ingest, with an idempotency key', () => {
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

  /**
   * The first request claims the key, then stops while queueing: its event is never stored.
   * `dies`: it never goes on (a function killed by its timeout runs nothing more); else it
   * fails (a queue that refused), and what follows a failure runs.
   */
  async function firstRequestStops(how: 'dies' | 'fails'): Promise<DeliveryMessage[]> {
    const handed: DeliveryMessage[] = [];
    const stopping = {
      ...herald,
      queue: {
        enqueue: async (messages: DeliveryMessage[]) => {
          handed.push(...messages);
          if (how === 'dies') return new Promise<never>(() => {});
          throw new Error('the queue refused');
        },
      },
    };
    const first = ingestEvent(stopping, 'shop', deployed, 'deploy-42');
    if (how === 'fails') await expect(first).rejects.toThrow(/refused/);
    else while (!handed.length) await new Promise((r) => setImmediate(r));
    return handed;
  }

  it('refuses a repeat while the first request is still at work (409: retry in a few seconds)', async () => {
    await firstRequestStops('dies');
    herald.time.advance(20);
    const repeat = post({});
    await expect(repeat).rejects.toBeInstanceOf(ConflictError);
    await expect(repeat).rejects.toThrow(/still being processed/);
    await expect(repeat).rejects.toMatchObject({ retryAfterSeconds: 2 });
    expect(herald.queued('webhook')).toEqual([]);
  });

  it('lets a repeat resume at once, with the same event and delivery ids, when the first request failed once it held the key', async () => {
    const handed = await firstRequestStops('fails');
    herald.time.advance(1);
    const resumed = await post({});
    expect(resumed).toMatchObject({ eventId: handed[0]?.event.id, deliveries: 1, duplicate: false });
    expect(herald.queued('webhook').map((m) => m.delivery.id)).toEqual(handed.map((m) => m.delivery.id));
  });

  it('takes over a claim whose request died (30 s on) and resumes it with the same event and delivery ids', async () => {
    const handed = await firstRequestStops('dies');
    herald.time.advance(31);
    const resumed = await post({});
    expect(resumed).toMatchObject({ eventId: handed[0]?.event.id, deliveries: 1, duplicate: false });
    expect(herald.queued('webhook').map((m) => m.delivery.id)).toEqual(handed.map((m) => m.delivery.id));
    // The event is stored now: a repeat gets this answer.
    expect(await post({})).toEqual({ ...resumed, duplicate: true });
  });
});

describe('the sweeper', () => {
  const options = { graceSeconds: 60, maxPerRun: 100, disableAfterDays: 7 };

  /** A delivery of a stored event that no queue holds, for the sweeper to queue at `at` (its enqueue failed, or it is held until then). */
  async function unqueued(at: Date, to: Notifier = hook) {
    const e = event('shop', { receivedAt: herald.clock().toISOString() });
    const d = delivery(e, 'https://hooks.example/x', 'webhook', to.id);
    await herald.events.save(e, [d], { unchanged: false });
    await herald.deliveries.markUnqueued(ref(d), at);
    return d;
  }

  it('queues a delivery whose enqueue failed, once, and forgets it', async () => {
    const d = await unqueued(herald.clock());
    herald.time.advance(60);
    expect(await sweep(herald, options)).toMatchObject({ found: 1, requeued: 1 });
    expect(herald.queued('webhook').map((m) => m.delivery.id)).toEqual([d.id]);

    expect(await sweep(herald, options)).toMatchObject({ found: 0, requeued: 0 });
    expect(herald.queued('webhook')).toEqual([]);
  });

  it('leaves a delivery held until later (quiet hours) where it is, and queues it once the time comes', async () => {
    const d = await unqueued(new Date(herald.clock().getTime() + 3600_000));
    expect(await sweep(herald, options)).toMatchObject({ found: 0, requeued: 0 });
    expect(herald.queued('webhook')).toEqual([]);

    herald.time.advance(3601);
    await sweep(herald, options);
    expect(herald.queued('webhook').map((m) => m.delivery.id)).toEqual([d.id]);
  });

  it('ends a waiting delivery whose notifier was deleted meanwhile, with why, and queues nothing', async () => {
    const gone = notifier('shop');
    await herald.notifiers.put(gone);
    const d = await unqueued(herald.clock(), gone);
    await herald.notifiers.delete('shop', gone.id);
    herald.time.advance(60);
    expect(await sweep(herald, options)).toMatchObject({ found: 1, requeued: 0, ended: 1 });
    expect(await herald.deliveries.get('shop', d.id)).toMatchObject({ status: 'failed', reason: 'the notifier was deleted' });
    expect(herald.queued('webhook')).toEqual([]);
  });

  it('disables a notifier whose deliveries have all failed for the configured days, and tells the app', async () => {
    const failing = notifier('shop', { name: 'Old hook', events: ['*', 'notifier_disabled'] });
    const lately = notifier('shop', { name: 'New hook' });
    await Promise.all([herald.notifiers.put(failing), herald.notifiers.put(lately)]);
    const days = (n: number) => new Date(herald.clock().getTime() - n * 86_400_000).toISOString();
    await herald.notifiers.markFailing('shop', failing.id, days(8));
    await herald.notifiers.markFailing('shop', lately.id, days(6));

    expect(await sweep(herald, options)).toMatchObject({ disabled: 1 });
    expect(await herald.notifiers.get('shop', failing.id)).toMatchObject({
      enabled: false,
      disabledReason: `every delivery has failed since ${days(8)}`,
    });
    expect(await herald.notifiers.get('shop', lately.id)).toMatchObject({ enabled: true });
    // The app hears of it through its notifiers that take Herald's notices and still work: the disabled one gets nothing.
    const told = herald.queued('webhook');
    expect(told.map((m) => [m.event.type, m.delivery.notifierId])).toEqual([['notifier_disabled', hook.id]]);
  });
});

/**
 * What CloudWatch gets from a sweeper run: one EMF document, with the deliveries it found
 * overdue (the stack alarms on `OverdueDeliveries`), zeros included.
 */
describe("the sweeper's metrics", () => {
  afterEach(() => vi.restoreAllMocks());
  const result = { found: 3, requeued: 2, ended: 0, notQueued: 1, overdue: 1, disabled: 0 };

  it('publishes one document per run with the overdue and requeued deliveries, under the service dimension', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    publishSweep(result);
    publishSweep({ ...result, found: 0, requeued: 0, notQueued: 0, overdue: 0 });
    const documents = lines.map((l) => JSON.parse(l));
    expect(documents).toHaveLength(2);
    expect(documents[0]).toMatchObject({ service: 'herald', OverdueDeliveries: 1, Requeued: 2 });
    expect(documents[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Herald', Dimensions: [['service']] });
    expect(documents[1]).toMatchObject({ OverdueDeliveries: 0, Requeued: 0 });
  });

  it('counts a delivery overdue when it was due (retry or hold time, else creation) longer ago than the limit', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    const at = (iso: string, nextAttemptAt?: string) => ({ createdAt: iso, ...(nextAttemptAt ? { nextAttemptAt } : {}) }) as Delivery;
    const deliveries = [
      at('2026-01-01T11:50:00Z'), // refused by its queue ten minutes ago: overdue
      at('2026-01-01T11:59:30Z'), // refused half a minute ago: the sweeper is on time
      at('2026-01-01T01:00:00Z', '2026-01-01T11:59:00Z'), // held by quiet hours until a minute ago
      at('2026-01-01T01:00:00Z', '2026-01-01T11:00:00Z'), // held until an hour ago: overdue
    ];
    expect(overdueOf(deliveries, now, 300)).toBe(2);
  });
});
