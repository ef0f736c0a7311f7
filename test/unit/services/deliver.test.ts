// First: the metrics tests below read what is published.
import '../../support/metrics-on.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryMessage, Notifier } from '../../../shared/core/types.js';
import { AttemptMetrics } from '../../../shared/services/attempt-metrics.js';
import { deliver, RetryScheduled, type DeliverDeps } from '../../../shared/services/deliver.js';
import { DestinationLoad, destinationOf, type DestinationLimits } from '../../../shared/services/destination-load.js';
import { delivery, event, message, notifier } from '../../contract/fixtures.js';
import { deliverDepsOn, memoryHerald, RecordingChannel, RecordingReceivedMessage, type MemoryHerald } from '../../support/fakes.js';

/** deliver() on in-memory stores: one attempt of a webhook delivery of the app `shop`, through a channel that records it. */
let herald: MemoryHerald;
let channel: RecordingChannel;
let deps: DeliverDeps;
let hook: Notifier;

beforeEach(async () => {
  herald = await memoryHerald();
  channel = new RecordingChannel();
  deps = deliverDepsOn(herald, channel, [5, 300]);
  hook = notifier('shop');
  await herald.notifiers.put(hook);
});

/** A fresh delivery of a fresh event to the notifier, as its queue message. */
const queued = (to: Notifier = hook) => {
  const e = event('shop', { occurredAt: herald.clock().toISOString(), receivedAt: herald.clock().toISOString() });
  return message(e, delivery(e, 'https://hooks.example/x', 'webhook', to.id));
};

const attempt = (m: DeliveryMessage | DeliveryMessage[], received = new RecordingReceivedMessage()) =>
  deliver(deps, [m].flat(), received, new AttemptMetrics());

const shown = (m: DeliveryMessage) => herald.deliveries.get('shop', m.delivery.id);

/** What a destination may hold of this process, one attempt at a time unless said otherwise, for the tests of its room. */
const roomFor = (limits: Partial<DestinationLimits>) =>
  new DestinationLoad({ maxInFlight: 1, maxInFlightWhenSlow: 1, slowAfterMs: 3000, slowForMs: 60_000, busyWaitMs: 0, ...limits });

/** One event's deliveries to two hosts, hooks.example (the hook's) and other.example (a second notifier's), as one queue message. */
async function toTwoHosts(): Promise<[DeliveryMessage, DeliveryMessage]> {
  const other = notifier('shop', { target: { url: 'https://other.example/y' } });
  await herald.notifiers.put(other);
  const e = event('shop', { occurredAt: herald.clock().toISOString(), receivedAt: herald.clock().toISOString() });
  return [
    message(e, delivery(e, 'https://hooks.example/x', 'webhook', hook.id)),
    message(e, delivery(e, 'https://other.example/y', 'webhook', other.id)),
  ];
}

it('sends a delivery once and shows it sent, with its attempt', async () => {
  const m = queued();
  const received = new RecordingReceivedMessage();
  expect(await attempt(m, received)).toEqual(['sent']);
  expect(channel.sent.map((s) => s.delivery.id)).toEqual([m.delivery.id]);
  expect(await shown(m)).toMatchObject({ status: 'sent', attempts: [{ n: 1, outcome: 'sent', statusCode: 200 }] });
  expect(received).toMatchObject({ retries: [], setAsides: [], deadLettered: false });
});

it('sends once when the same message is received twice at the same time (the claim)', async () => {
  const m = queued();
  const results = await Promise.all([attempt(m), attempt(m)]);
  expect(results.flat().sort()).toEqual(['sent', 'skipped']);
  expect(channel.sent).toHaveLength(1);
});

it('lets a message go without sending when its delivery is already done', async () => {
  const m = queued();
  await attempt(m);
  const again = new RecordingReceivedMessage();
  expect(await attempt(m, again)).toEqual(['skipped']);
  expect(channel.sent).toHaveLength(1);
  expect(again).toMatchObject({ retries: [], setAsides: [], deadLettered: false });
});

it("puts the message back for the receiver's Retry-After on a transient failure, and shows the delivery retrying", async () => {
  channel.answer({ transient: 'HTTP 503', retryAfterSeconds: 120 });
  const m = queued();
  const received = new RecordingReceivedMessage();
  await expect(attempt(m, received)).rejects.toBeInstanceOf(RetryScheduled);
  expect(received.retries).toEqual([120]);
  const retrying = await shown(m);
  expect(retrying).toMatchObject({ status: 'retrying', attempts: [{ n: 1, outcome: 'retrying', error: 'HTTP 503' }] });
  // Due 120 s after the attempt began, plus the attempt's own (real) latency: a millisecond, at most, here.
  expect(Date.parse(retrying?.nextAttemptAt ?? '') - herald.clock().getTime()).toBeGreaterThanOrEqual(120_000);

  // Received again early (SQS may): nothing is sent, the message comes back when the retry is due.
  herald.time.advance(60);
  const early = new RecordingReceivedMessage();
  await expect(attempt(m, early)).rejects.toBeInstanceOf(RetryScheduled);
  expect(early.retries).toHaveLength(1);
  expect(early.retries[0]).toBeGreaterThanOrEqual(60);
  expect(early.retries[0]).toBeLessThanOrEqual(61);
  expect(channel.sent).toHaveLength(1);

  herald.time.advance(60);
  expect(await attempt(m)).toEqual(['sent']);
  expect(channel.sent).toHaveLength(2);
});

it('puts the message in the DLQ and shows the delivery dead, with why, once the schedule is used up', async () => {
  deps = deliverDepsOn(herald, channel, [5]);
  channel.answer({ transient: 'HTTP 502' }, { transient: 'HTTP 504' });
  const m = queued();
  const first = new RecordingReceivedMessage();
  await expect(attempt(m, first)).rejects.toBeInstanceOf(RetryScheduled);
  expect(first.retries).toEqual([5]);

  herald.time.advance(5);
  const last = new RecordingReceivedMessage();
  expect(await attempt(m, last)).toEqual(['dead']);
  expect(last).toMatchObject({ deadLettered: true, retries: [] });
  expect(await shown(m)).toMatchObject({ status: 'dead', reason: 'gave up after 2 attempts: HTTP 504' });
  expect(channel.sent).toHaveLength(2);
});

it('shows the delivery failed with the provider’s reason on a permanent failure, and never tries it again', async () => {
  channel.answer({ permanent: 'HTTP 410: this hook was removed' });
  const m = queued();
  const received = new RecordingReceivedMessage();
  expect(await attempt(m, received)).toEqual(['failed']);
  expect(received).toMatchObject({ retries: [], deadLettered: false });
  expect(await shown(m)).toMatchObject({ status: 'failed', reason: 'HTTP 410: this hook was removed' });

  herald.time.advance(3600);
  expect(await attempt(m)).toEqual(['skipped']);
  expect(channel.sent).toHaveLength(1);
});

it('sends nothing for a notifier deleted since, and shows why', async () => {
  const m = queued();
  await herald.notifiers.delete('shop', hook.id);
  expect(await attempt(m)).toEqual(['failed']);
  expect(channel.sent).toEqual([]);
  expect(await shown(m)).toMatchObject({ status: 'failed', reason: 'the notifier was deleted' });
});

it('sends nothing for a notifier disabled since, and shows why', async () => {
  const m = queued();
  await herald.notifiers.put({ ...hook, enabled: false });
  expect(await attempt(m)).toEqual(['failed']);
  expect(channel.sent).toEqual([]);
  expect(await shown(m)).toMatchObject({ status: 'failed', reason: 'the notifier is disabled' });
});

it('takes no destination room for a message it refuses (a delivery of a channel this function does not deliver)', async () => {
  deps = { ...deps, load: roomFor({ busyWaitMs: 0 }) };
  const mail = queued();
  const wrongQueue = [queued(), { ...mail, delivery: { ...mail.delivery, channel: 'email' as const, recipient: 'ops@example.com' } }];
  await expect(attempt(wrongQueue)).rejects.toThrow(/does not deliver email/);
  // The webhook's destination still has its one room: the message stays on its queue, and holds nothing.
  expect(deps.load.take('hooks.example')).toBeDefined();
  expect(channel.sent).toEqual([]);
});

it('waits a moment for a slot at a busy destination, rather than setting its delivery aside', async () => {
  deps = { ...deps, load: roomFor({ busyWaitMs: 5000 }) };
  const busy = deps.load.take('hooks.example'); // another delivery to the same host, under way for 30 ms
  setTimeout(() => busy?.(30), 30);
  const m = queued();
  const received = new RecordingReceivedMessage();
  expect(await attempt(m, received)).toEqual(['sent']);
  expect(received.setAsides).toEqual([]);
  expect(await shown(m)).toMatchObject({ status: 'sent', attempts: [{ n: 1 }] });
});

it('sets aside, without waiting, the deliveries of a message bound for several busy destinations', async () => {
  deps = { ...deps, load: roomFor({ busyWaitMs: 60_000 }) };
  const busy = [deps.load.take('hooks.example'), deps.load.take('other.example')];
  const both = await toTwoHosts();
  const received = new RecordingReceivedMessage();
  expect(await attempt(both, received)).toEqual(['set aside', 'set aside']); // within the test's 5 s
  for (const release of busy) release?.(1);
});

it("does not hold up a delivery that has room for its message's other one, to a busy destination: that one is set aside", async () => {
  deps = { ...deps, load: roomFor({ busyWaitMs: 60_000 }) };
  const busy = deps.load.take('hooks.example');
  const [toBusy, toFree] = await toTwoHosts();
  const received = new RecordingReceivedMessage();
  expect(await attempt([toBusy, toFree], received)).toEqual(['set aside', 'sent']); // within the test's 5 s
  expect(received.setAsides).toEqual([{ seconds: 10, deliveryIds: [toBusy.delivery.id] }]);
  expect(channel.sent.map((s) => s.delivery.id)).toEqual([toFree.delivery.id]);
  busy?.(1);
});

it('gives back the rooms it took when the queue refuses to set a delivery aside', async () => {
  deps = { ...deps, load: roomFor({ busyWaitMs: 0 }) };
  const busy = deps.load.take('hooks.example');
  const [toBusy, toFree] = await toTwoHosts();
  const refusing = new RecordingReceivedMessage();
  refusing.setAside = async () => {
    throw new Error('SQS is down');
  };
  await expect(attempt([toBusy, toFree], refusing)).rejects.toThrow('SQS is down');
  expect(channel.sent).toEqual([]);
  expect(deps.load.take('other.example')).toBeDefined(); // its one room is free again
  busy?.(1);
});

it('sets a delivery aside at once, without waiting, when its destination is slow', async () => {
  deps = { ...deps, load: roomFor({ maxInFlight: 4, busyWaitMs: 60_000 }) };
  deps.load.take('hooks.example')?.(10_000); // an attempt that took 10 s: slow for a minute
  const hanging = deps.load.take('hooks.example'); // the one attempt a slow destination gets, under way
  expect(hanging).toBeDefined();
  const m = queued();
  const received = new RecordingReceivedMessage();
  expect(await attempt(m, received)).toEqual(['set aside']); // within the test's 5 s, not after busyWaitMs
  expect(received.setAsides).toEqual([{ seconds: 10, deliveryIds: [m.delivery.id] }]);
});

it('sets a delivery aside for 10 to 20 s, no attempt spent, when its destination has no room within a moment', async () => {
  deps = { ...deps, load: roomFor({ busyWaitMs: 50 }) };
  const busy = deps.load.take('hooks.example'); // another delivery to the same host, under way
  expect(busy).toBeDefined();
  const m = queued();
  const received = new RecordingReceivedMessage();
  expect(await attempt(m, received)).toEqual(['set aside']);
  expect(received.setAsides).toEqual([{ seconds: 10, deliveryIds: [m.delivery.id] }]);
  expect(channel.sent).toEqual([]);

  // Its turn comes with the room: its first attempt is still its first.
  busy?.(10);
  expect(await attempt(m)).toEqual(['sent']);
  expect(await shown(m)).toMatchObject({ attempts: [{ n: 1 }] });
});

/**
 * What CloudWatch gets for a channel function's invocation: one EMF document per channel,
 * whatever the number of attempts (each document is a log line, billed as such).
 */
describe('metrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('publishes one document per channel per invocation, with the attempts summed and every latency', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const tally = new AttemptMetrics();
    tally.add('webhook', 'sent', 40);
    tally.add('webhook', 'retrying', 10_000);
    tally.add('webhook', 'sent', 60);
    tally.add('slack', 'dead', 120);
    tally.publish();
    tally.publish(); // nothing more: what was published is not published again

    const documents = lines.map((l) => JSON.parse(l));
    expect(documents).toHaveLength(2);
    const [webhook, slack] = documents;
    expect(webhook).toMatchObject({ channel: 'webhook', Attempts: 3, Sent: 2, Retried: 1, DeliveryLatency: [40, 10_000, 60] });
    expect(webhook._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Herald', Dimensions: [expect.arrayContaining(['channel'])] });
    expect(slack).toMatchObject({ channel: 'slack', Attempts: 1, Dead: 1, DeliveryLatency: 120 });
    expect(slack).not.toHaveProperty('Sent');
  });

  it('publishes every latency of a busy invocation, in documents of at most 99, and never an empty one', () => {
    const lines: string[] = [];
    for (const level of ['log', 'warn', 'info', 'error'] as const)
      vi.spyOn(console, level).mockImplementation((line: unknown) => void lines.push(String(line)));
    const tally = new AttemptMetrics();
    for (let i = 0; i < 150; i++) tally.add('webhook', 'sent', i);
    tally.publish();

    expect(lines.filter((l) => /No application metrics/i.test(l))).toEqual([]);
    const documents = lines.map((l) => JSON.parse(l));
    expect(documents.every((d) => d.channel === 'webhook')).toBe(true);
    const latencies = documents.flatMap((d) => [d.DeliveryLatency ?? []].flat());
    expect(latencies.sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(documents.reduce((sum, d) => sum + (d.Attempts ?? 0), 0)).toBe(150);
  });
});

// The room deliver() takes at each destination (DestinationLoad), on its own.
const limits = { maxInFlight: 4, maxInFlightWhenSlow: 1, slowAfterMs: 3000, slowForMs: 60_000, busyWaitMs: 0 };

describe('what a destination may hold of a process', () => {
  it('is a few attempts at once, more when it answers fast', () => {
    let now = 0;
    const load = new DestinationLoad(limits, () => now);
    const held = [1, 2, 3, 4].map(() => load.take('a.example'));
    expect(held.every(Boolean)).toBe(true);
    expect(load.take('a.example')).toBeUndefined();
    expect(load.take('b.example')).toBeDefined(); // another destination has its own room
    held[0]!(20);
    expect(load.take('a.example')).toBeDefined();
  });

  it('counts attempts started in the same millisecond as so many attempts', () => {
    // Attempts were once told apart by their start time plus Math.random(), which has only some 4,000 values
    // at one millisecond's magnitude: two could be one, and a destination got more than its room.
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const load = new DestinationLoad(limits, () => 1_796_080_531_571);
    const held = [1, 2, 3, 4].map(() => load.take('a.example'));
    expect(held.every(Boolean)).toBe(true);
    expect(load.take('a.example')).toBeUndefined();
    held[0]!(5);
    expect(load.take('a.example')).toBeDefined();
    expect(load.take('a.example')).toBeUndefined();
    vi.restoreAllMocks();
  });

  it('is one at a time for a minute once an attempt was slow', () => {
    let now = 0;
    const load = new DestinationLoad(limits, () => now);
    load.take('slow.example')!(10_000);
    const first = load.take('slow.example');
    expect(first).toBeDefined();
    expect(load.take('slow.example')).toBeUndefined();
    first!(10_000);
    now += 61_000;
    expect([1, 2, 3].map(() => load.take('slow.example')).every(Boolean)).toBe(true);
  });

  it('finds a destination slow while its attempt is still under way', () => {
    let now = 0;
    const load = new DestinationLoad(limits, () => now);
    expect(load.take('hang.example')).toBeDefined();
    now += 3500;
    expect(load.take('hang.example')).toBeUndefined();
  });

  it('hands a slot that comes free to those waiting for it, first come first served, before any newcomer', async () => {
    const load = new DestinationLoad({ ...limits, maxInFlight: 1, busyWaitMs: 5000 });
    const first = load.take('a.example');
    const order: string[] = [];
    const waiting = ['w1', 'w2'].map((name) => load.takeSoon('a.example').then((release) => (order.push(name), release)));
    expect(load.take('a.example')).toBeUndefined(); // a newcomer queues behind them
    first!(20);
    const w1 = await waiting[0];
    expect(order).toEqual(['w1']);
    w1!(20);
    expect(await waiting[1]).toBeDefined();
    expect(order).toEqual(['w1', 'w2']);
  });

  it('gives up waiting after busyWaitMs, and tells those waiting at once when the destination turns slow', async () => {
    const load = new DestinationLoad({ ...limits, maxInFlight: 1, busyWaitMs: 30 });
    const held = load.take('a.example');
    expect(await load.takeSoon('a.example')).toBeUndefined(); // nothing came free within 30 ms
    const patient = new DestinationLoad({ ...limits, maxInFlight: 1, busyWaitMs: 60_000 });
    const slowOne = patient.take('b.example');
    const waiting = patient.takeSoon('b.example');
    slowOne!(10_000); // its attempt took 10 s: the destination is slow, one at a time, and none of its slots is handed on
    expect(await waiting).toBeUndefined();
    held!(1);
    expect(load.take('a.example')).toBeDefined(); // nobody left waiting: the slot is free to take
  });

  it('takes a URL by its host, anything else by channel and recipient', () => {
    expect(destinationOf({ channel: 'webhook', recipient: 'https://hooks.example.com:8443/a/b?c' })).toBe('hooks.example.com:8443');
    expect(destinationOf({ channel: 'email', recipient: 'ops@example.com' })).toBe('email:ops@example.com');
  });
});

describe('failover', () => {
  const withFailover = (m: DeliveryMessage): DeliveryMessage => ({
    ...m,
    notifier: { ...m.notifier, failover: { to: [{ notifier: 'ntf_mail' }] } },
  });
  const failoverTimers = () =>
    herald
      .timersDue()
      .flatMap((t) => (t.timer.kind === 'failover' ? [{ ...t.timer, dueIn: Date.parse(t.at) - herald.clock().getTime() }] : []));

  it("a delivery that dies sets its failover's timer, due now; one sent sets none", async () => {
    deps = { ...deliverDepsOn(herald, channel, []), timers: herald.timers };
    channel.answer({ transient: 'HTTP 503' }, 'ok');
    const dying = withFailover(queued());
    expect(await attempt(dying)).toEqual(['dead']);
    expect(await attempt(withFailover(queued()))).toEqual(['sent']);
    expect(failoverTimers()).toEqual([
      { kind: 'failover', appId: 'shop', deliveryId: dying.delivery.id, notifierId: hook.id, entry: 1, why: 'failed', dueIn: 0 },
    ]);
  });

  it('a failover delivery that fails sets the timer of the next entry of the list that made it', async () => {
    deps = { ...deliverDepsOn(herald, channel, []), timers: herald.timers };
    channel.answer({ permanent: 'HTTP 410', statusCode: 410 });
    const m = queued();
    const standIn = { ...m, delivery: { ...m.delivery, failoverOf: 'dlv_gone', failoverBy: { notifierId: 'ntf_owner', entry: 1 } } };
    expect(await attempt(standIn)).toEqual(['failed']);
    expect(failoverTimers()).toMatchObject([{ deliveryId: m.delivery.id, notifierId: 'ntf_owner', entry: 2, why: 'failed' }]);
  });

  it("a policy's step to a contact, or a failover to one, that fails leaves the policy's and the failing notifier's failure run alone", async () => {
    channel.answer(
      { permanent: 'HTTP 410', statusCode: 410 },
      { permanent: 'HTTP 410', statusCode: 410 },
      { permanent: 'HTTP 410', statusCode: 410 },
    );
    const step = queued();
    const toContact = { ...step, delivery: { ...step.delivery, escalation: { notifierId: hook.id, step: 2, round: 1 } } };
    expect(await attempt(toContact)).toEqual(['failed']);
    const over = queued();
    const failover = { ...over, delivery: { ...over.delivery, failoverOf: 'dlv_x', failoverBy: { notifierId: hook.id, entry: 1 } } };
    expect(await attempt(failover)).toEqual(['failed']);
    expect((await herald.notifiers.get('shop', hook.id))?.failingSince).toBeUndefined();
    // Its own endpoint failing starts its run.
    expect(await attempt(queued())).toEqual(['failed']);
    expect((await herald.notifiers.get('shop', hook.id))?.failingSince).toBeDefined();
  });
});
