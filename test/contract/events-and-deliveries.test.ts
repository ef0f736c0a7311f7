import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../shared/core/ports.js';
import { BACKENDS, type Backend } from './backends.js';
import { appId, delivery, event, ref } from './fixtures.js';
import { MAX_TEXT_BYTES } from '../../shared/aws/stored-attempts.js';
import { PART_DELIVERIES, partsOf } from '../../shared/core/record-parts.js';
import type { Delivery } from '../../shared/core/types.js';

const attempt = (n: number, outcome: 'sent' | 'retrying' | 'failed') => ({
  n,
  at: new Date().toISOString(),
  outcome,
  statusCode: outcome === 'sent' ? 200 : 503,
  latencyMs: 12,
});
const claimed = (r: ClaimResult | undefined) => (r && 'claim' in r ? r.claim : undefined);

/** EventStore and DeliveryStore behave alike on DynamoDB and in the embedded engine. */
describe.each(BACKENDS)('events and deliveries on the %s', (_name, open) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await open();
  });
  afterAll(() => backend.close());

  it('claims an idempotency key once until it expires, and a stale claim is taken over only as it was', async () => {
    const { events } = backend.stores;
    const id = appId();
    const record = { requestHash: 'h1', eventId: 'evt_1', expiresAt: 2000, claimedAt: '2026-11-01T00:00:00.000Z' };
    expect(await events.claimIdempotencyKey(id, 'k', record, 1000)).toBeUndefined();
    expect(await events.claimIdempotencyKey(id, 'k', { ...record, requestHash: 'h2' }, 1500)).toEqual(record);
    expect(await events.takeOverIdempotencyKey(id, 'k', 'some other time', '2026-11-01T00:01:00.000Z')).toBe(false);
    expect(await events.takeOverIdempotencyKey(id, 'k', record.claimedAt, '2026-11-01T00:01:00.000Z')).toBe(true);
    // Expired: the key is free again.
    expect(await events.claimIdempotencyKey(id, 'k', { ...record, expiresAt: 9000 }, 2001)).toBeUndefined();
  });

  it("stores an event with its deliveries, answers as ingest did, and lists an app's events newest first", async () => {
    const { events, deliveries } = backend.stores;
    const id = appId();
    const first = event(id);
    const second = event(id, { type: 'app_crashed', severity: 'critical', data: { n: 1.5, big: 2 ** 60 } });
    await events.save(first, [delivery(first)], { unchanged: false });
    await events.save(second, [delivery(second), { ...delivery(second, 'https://b.example'), status: 'suppressed', reason: 'quiet' }], {
      unchanged: true,
    });
    expect(await events.get(id, second.id)).toEqual(second);
    expect(await events.answerOf(id, second.id)).toEqual({
      deliveries: 2,
      unchanged: true,
      declined: [{ notifierId: 'ntf_1', reason: 'quiet' }],
    });
    expect(await events.answerOf(id, 'evt_01kbx7rxv8z0wz2qkq7f3m1h5d')).toBeUndefined();
    const page = await events.list(id, { limit: 1 });
    expect(page.items.map((e) => e.id)).toEqual([second.id]);
    const next = await events.list(id, { limit: 1, cursor: page.nextCursor as string });
    expect(next.items.map((e) => e.id)).toEqual([first.id]);
    expect((await deliveries.get(id, delivery(first).id))?.status).toBe('queued');
  });

  it('lets one of two concurrent claims of a delivery have it, never both', async () => {
    const { events, deliveries } = backend.stores;
    const e = event(appId());
    const d = delivery(e);
    await events.save(e, [d], { unchanged: false });
    const now = new Date();
    const results = await Promise.all([deliveries.claim([ref(d)], now, e), deliveries.claim([ref(d)], now, e)]);
    expect(results.map(([r]) => (claimed(r) ? 'claim' : r)).sort()).toEqual([{ done: true }, 'claim'].sort());
    expect((await deliveries.get(e.appId, d.id))?.status).toBe('sending');
  });

  it('claims a delivery its record does not hold yet (the attempt came first), and ingest then keeps that claim', async () => {
    const { events, deliveries } = backend.stores;
    const e = event(appId());
    const d = delivery(e);
    const [r] = await deliveries.claim([ref(d)], new Date(), e);
    expect(claimed(r)).toEqual({ n: 1, attemptInRound: 1 });
    await events.save(e, [d], { unchanged: false });
    expect((await deliveries.get(e.appId, d.id))?.status).toBe('sending');
    expect(await events.get(e.appId, e.id)).toEqual(e);
  });

  it('records outcomes: a retry is not claimed before it is due, a sent one never again; the log filters and counts them', async () => {
    const { events, deliveries } = backend.stores;
    const e = event(appId());
    const [a, b] = [delivery(e, 'https://a.example'), delivery(e, 'https://b.example')];
    await events.save(e, [a, b], { unchanged: false });
    const now = new Date();
    const claims = await deliveries.claim([ref(a), ref(b)], now, e);
    expect(claims.map(claimed)).toEqual([
      { n: 1, attemptInRound: 1 },
      { n: 1, attemptInRound: 1 },
    ]);
    const due = new Date(now.getTime() + 60_000);
    await deliveries.record([
      { delivery: ref(a), outcome: { status: 'sent', attempt: attempt(1, 'sent') } },
      { delivery: ref(b), outcome: { status: 'retrying', attempt: attempt(1, 'retrying'), nextAttemptAt: due } },
    ]);
    const again = await deliveries.claim([ref(a), ref(b)], new Date(), e);
    expect(again[0]).toEqual({ done: true });
    expect(again[1]).toEqual({ later: due });
    expect(claimed((await deliveries.claim([ref(b)], new Date(due.getTime() + 1000), e))[0])).toEqual({ n: 2, attemptInRound: 2 });
    await deliveries.record([{ delivery: ref(b), outcome: { status: 'failed', attempt: attempt(2, 'failed'), reason: 'HTTP 410' } }]);

    const stored = await deliveries.get(e.appId, b.id);
    expect(stored).toMatchObject({ status: 'failed', reason: 'HTTP 410', eventType: e.type });
    expect(stored?.attempts.map((x) => x.outcome)).toEqual(['retrying', 'failed']);
    const failed = await deliveries.list(e.appId, { statuses: ['failed'] }, { limit: 10 });
    expect(failed.items.map((d) => d.id)).toEqual([b.id]);
    const all = await deliveries.list(e.appId, {}, { limit: 1 });
    const rest = await deliveries.list(e.appId, {}, { limit: 10, cursor: all.nextCursor as string });
    expect([...all.items, ...rest.items].map((d) => d.id).sort()).toEqual([a.id, b.id].sort());
    const stats = await deliveries.stats(e.appId, 'ntf_1', {
      since: new Date(now.getTime() - 60_000),
      until: new Date(now.getTime() + 60_000),
    });
    expect(stats.counts).toMatchObject({ sent: 1, failed: 1 });
    expect(stats.complete).toBe(true);
  });

  it('stores, claims and records the outcomes of an event with 150 deliveries (more than one write of DynamoDB takes)', async () => {
    const { events, deliveries } = backend.stores;
    const e = event(appId());
    const many = Array.from({ length: 150 }, (_, i) => delivery(e, `ops${i}@big.example`, 'email'));
    await events.save(e, many, { unchanged: false });
    expect((await events.answerOf(e.appId, e.id))?.deliveries).toBe(150);
    const claims = await deliveries.claim(many.map(ref), new Date(), e);
    expect(claims.map(claimed)).toEqual(many.map(() => ({ n: 1, attemptInRound: 1 })));
    await deliveries.record(many.map((d) => ({ delivery: ref(d), outcome: { status: 'sent' as const, attempt: attempt(1, 'sent') } })));
    const sent = await deliveries.list(e.appId, { eventId: e.id, statuses: ['sent'] }, { limit: 200 });
    expect(sent.items.map((d) => d.id).sort()).toEqual(many.map((d) => d.id).sort());
  });

  it('keeps an event with more deliveries than its record holds in parts: claims, outcomes, the log, dead letters and the sweeper find each', async () => {
    const { events, deliveries } = backend.stores;
    const e = event(appId());
    const planned = Array.from({ length: 100 }, (_, i) => delivery(e, `https://hooks.example/${i}`));
    const parts = partsOf(planned.map((d) => d.id));
    const many = planned.map((d) => ({ ...d, part: parts.get(d.id) as number }));
    expect(new Set(many.map((d) => d.part)).size).toBe(Math.ceil(100 / PART_DELIVERIES));
    const [early, dead, held, ...rest] = many as [Delivery, Delivery, Delivery, ...Delivery[]];
    // One attempt comes before the ingest's write, which keeps its claim.
    expect(claimed((await deliveries.claim([ref(early)], new Date(), e))[0])).toEqual({ n: 1, attemptInRound: 1 });
    await events.save(e, many, { unchanged: false });
    expect(await events.answerOf(e.appId, e.id)).toMatchObject({ deliveries: 100 });
    const claims = await deliveries.claim([early, dead, ...rest].map(ref), new Date(), e);
    expect(claims.map(claimed)).toEqual([undefined, ...[dead, ...rest].map(() => ({ n: 1, attemptInRound: 1 }))]);
    await deliveries.record([
      { delivery: ref(early), outcome: { status: 'sent', attempt: attempt(1, 'sent') } },
      { delivery: ref(dead), outcome: { status: 'dead', attempt: attempt(1, 'failed'), reason: 'gave up' } },
      ...rest.map((d) => ({ delivery: ref(d), outcome: { status: 'sent' as const, attempt: attempt(1, 'sent') } })),
    ]);
    await deliveries.markUnqueued(ref(held), new Date(Date.now() - 1000));

    const log = await deliveries.list(e.appId, { eventId: e.id }, { limit: 200 });
    expect(log.items.map((d) => d.id)).toEqual(
      many
        .map((d) => d.id)
        .sort()
        .reverse(),
    );
    expect(log.items.filter((d) => d.status === 'sent')).toHaveLength(98);
    expect((await deliveries.list(e.appId, { statuses: ['dead'] }, { limit: 10 })).items.map((d) => d.id)).toEqual([dead.id]);
    expect((await deliveries.listDead('webhook', { limit: 1000 })).items.map((d) => d.id)).toContain(dead.id);
    expect((await deliveries.unqueued(new Date(), 1000)).map((d) => d.id)).toContain(held.id);
    expect(await deliveries.get(e.appId, held.id)).toMatchObject({ status: 'queued', eventType: e.type });
    expect(await deliveries.revive(ref(dead), new Date())).toBe(true);
    expect(claimed((await deliveries.claim([ref(dead)], new Date(), e))[0])).toEqual({ n: 2, attemptInRound: 1 });
  });

  it("keeps a delivery's first attempts, its latest ones and their count, however many it makes", async () => {
    const { events, deliveries } = backend.stores;
    const e = event(appId());
    const d = delivery(e, 'https://down.example');
    await events.save(e, [d], { unchanged: false });
    for (let n = 1; n <= 30; n++) {
      expect(claimed((await deliveries.claim([ref(d)], new Date(), e))[0])?.n).toBe(n);
      const error = `POST https://down.example/${'x/'.repeat(500)}: HTTP 503`;
      await deliveries.record([{ delivery: ref(d), outcome: { status: 'retrying', attempt: { ...attempt(n, 'retrying'), error } } }]);
    }
    const stored = await deliveries.get(e.appId, d.id);
    expect(stored?.attemptCount).toBe(30);
    expect(stored?.attempts.map((a) => a.n)).toEqual([1, 2, 23, 24, 25, 26, 27, 28, 29, 30]);
    expect(stored?.attempts.every((a) => Buffer.byteLength(a.error ?? '') <= MAX_TEXT_BYTES && a.error?.endsWith('HTTP 503'))).toBe(true);
  });

  it('lists a delivery stored failed at ingest (its queue refused it) among the failed ones', async () => {
    const { events, deliveries } = backend.stores;
    const e = event(appId());
    const refused = { ...delivery(e, 'https://refused.example'), status: 'failed' as const, reason: 'not queued: too big' };
    await events.save(e, [delivery(e), refused], { unchanged: false });
    const failed = await deliveries.list(e.appId, { statuses: ['failed'] }, { limit: 10 });
    expect(failed.items.map((d) => [d.id, d.reason])).toEqual([[refused.id, 'not queued: too big']]);
  });

  it("counts and lists a family's dead deliveries, and revives one once", async () => {
    const { events, deliveries } = backend.stores;
    const e = event(appId());
    const d = delivery(e, 'https://dead.example', 'slack');
    await events.save(e, [d], { unchanged: false });
    const before = await deliveries.countDead('slack');
    await deliveries.claim([ref(d)], new Date(), e);
    await deliveries.record([{ delivery: ref(d), outcome: { status: 'dead', attempt: attempt(1, 'failed'), reason: 'gave up' } }]);
    expect(await deliveries.countDead('slack')).toBe(before + 1);
    const listed: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deliveries.listDead('slack', { limit: 50, ...(cursor ? { cursor } : {}) });
      listed.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(listed).toContain(d.id);
    expect((await deliveries.list(e.appId, { statuses: ['dead'] }, { limit: 10 })).items.map((x) => x.id)).toEqual([d.id]);

    expect(await deliveries.revive(ref(d), new Date())).toBe(true);
    expect(await deliveries.revive(ref(d), new Date())).toBe(false);
    expect(await deliveries.countDead('slack')).toBe(before);
    expect((await deliveries.get(e.appId, d.id))?.status).toBe('queued');
    // A fresh set of attempts: the next claim is the first of its round.
    expect(claimed((await deliveries.claim([ref(d)], new Date(), e))[0])).toEqual({ n: 2, attemptInRound: 1 });
  });

  it('keeps the deliveries no queue holds for the sweeper, by when they are due, until one is queued', async () => {
    const { events, deliveries } = backend.stores;
    const e = event(appId());
    const [a, b] = [delivery(e, 'https://a.example'), delivery(e, 'https://b.example')];
    await events.save(e, [a, b], { unchanged: false });
    await deliveries.markUnqueued(ref(a), new Date('2026-11-01T00:00:00Z'));
    await deliveries.markUnqueued(ref(b), new Date('2026-11-01T00:05:00Z'));
    const mine = async (before: string) =>
      (await deliveries.unqueued(new Date(before), 1000)).filter((d) => d.eventId === e.id).map((d) => d.id);
    expect(await mine('2026-11-01T00:01:00Z')).toEqual([a.id]);
    expect(await mine('2026-11-01T00:06:00Z')).toEqual([a.id, b.id]);
    await deliveries.markQueued(ref(a));
    expect(await mine('2026-11-01T00:06:00Z')).toEqual([b.id]);
  });
});
