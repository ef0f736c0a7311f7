import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paceOf } from '../../shared/core/pacing.js';
import type { GroupMember } from '../../shared/core/grouping.js';
import { Pacing } from '../../shared/services/pacing.js';
import { deliveryMessage } from '../support/delivery-message.js';
import { BACKENDS, type Backend } from './backends.js';
import { appId } from './fixtures.js';

const member = (n: number): GroupMember => ({
  eventId: `evt_${n}`,
  appId: 'shop',
  type: 'pace.tick',
  severity: 'info',
  title: `tick ${n}`,
  status: 'event',
  at: '2026-11-30T00:00:00Z',
});

/** PacingStore behaves alike on DynamoDB and in the embedded engine, and holds a rate for several instances at once. */
describe.each(BACKENDS)('pacing on the %s', (_name, open) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await open();
  });
  afterAll(() => backend.close());

  it("moves a destination's tat only from the value it was read at", async () => {
    const { pacing } = backend.stores;
    const destination = appId();
    expect(await pacing.tatOf(destination)).toBe(0);
    expect(await pacing.moveTat(destination, 0, 1000)).toBe(true);
    expect(await pacing.moveTat(destination, 0, 2000)).toBe(false);
    expect(await pacing.moveTat(destination, 1000, 2000)).toBe(true);
    expect(await pacing.tatOf(destination)).toBe(2000);
  });

  it('opens one coalesced notification at a time, lists its first members and counts the rest, and takes no member after it is taken', async () => {
    const { pacing } = backend.stores;
    const key = appId();
    expect(await pacing.openCarrier(key)).toBeUndefined();
    expect(await pacing.open(key, 'dlv_a', undefined)).toBe(true);
    expect(await pacing.open(key, 'dlv_b', undefined)).toBe(false);
    expect(await pacing.openCarrier(key)).toBe('dlv_a');
    for (let n = 0; n < 25; n++) expect(await pacing.join('dlv_a', member(n))).toBe(true);
    const taken = await pacing.take('dlv_a');
    expect(taken.count).toBe(25);
    expect(taken.items.map((m) => m.title)).toEqual(Array.from({ length: 20 }, (_, n) => `tick ${n}`));
    expect(await pacing.join('dlv_a', member(99))).toBe(false);
    expect(await pacing.take('dlv_a')).toEqual(taken); // a retry of the carrier sends the same
    expect(await pacing.open(key, 'dlv_c', 'dlv_a')).toBe(true); // the next one, once dlv_a is taken
    expect(await pacing.take('dlv_none')).toEqual({ items: [], count: 0 });
  });

  it('holds the rate for ten instances reserving at once: every slot its own, no more together than the burst', async () => {
    const { pacing } = backend.stores;
    // A webhook with a rate of its own: paced, never coalesced, so that every delivery takes a slot.
    const base = deliveryMessage('webhook', { url: `https://hooks.example.com/${appId()}` });
    const message = { ...base, notifier: { ...base.notifier, rate: { perSecond: 1, burst: 3 } } };
    const instances = Array.from({ length: 10 }, () => new Pacing(pacing));
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (instances[i % 10] as Pacing).pace([message], undefined)));
    const slots = results
      .flatMap((r) => r.later.flatMap((l) => (l.message.pacedAt ? [Date.parse(l.message.pacedAt)] : [])))
      .sort((a, b) => a - b);
    const { intervalMs } = paceOf({ perSecond: 1, burst: 3 });
    // Those that lost too many races come back later to reserve (no slot); the rest hold one each.
    expect(slots.length).toBeGreaterThanOrEqual(20);
    // GCRA with Herald's burst of 2 (Slack's 3 less the margin): never three slots within one interval.
    for (let i = 2; i < slots.length; i++) expect((slots[i] as number) - (slots[i - 2] as number)).toBeGreaterThanOrEqual(intervalMs);
    expect((slots.at(-1) as number) - (slots[0] as number)).toBeGreaterThanOrEqual((slots.length - 2) * intervalMs);
  });
});
