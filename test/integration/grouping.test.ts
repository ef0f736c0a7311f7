import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver.js';

/**
 * Grouping as a user meets it, against the emulators with the timer queue fed as on AWS:
 * forty failures of one group reach the notifier as one notification, newcomers one more per
 * interval, and the recovery that ends the group at once; a thousand events of one group
 * posted fifty at a time make one notification per interval, which together carry every one
 * of them; a group still failing repeats on time, but not what someone acknowledged.
 */

let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  herald.startDelivering();
});
afterAll(async () => {
  await herald?.stop();
  await receiver?.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  herald.call(method, path, { key: herald.adminKey, ...(body ? { body } : {}) });
const at = (path: string) => receiver.requests.filter((r) => r.path === path);
const bodyOf = (r: ReceivedRequest) => JSON.parse(r.body);
const groupsAt = (path: string) => at(path).filter((r) => bodyOf(r).event_type === 'group');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An app whose webhook groups as asked; its ingest key. */
async function appGrouping(id: string, grouping: object): Promise<string> {
  return herald.createApp(id, {
    notifiers: [{ name: 'Grouped hook', channel: 'webhook', target: { url: `${receiver.url}/${id}` }, events: ['*'], grouping }],
  });
}

async function postAll(key: string, bodies: object[], atOnce = 50): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < bodies.length; i += atOnce) {
    const answers = await Promise.all(bodies.slice(i, i + atOnce).map((body) => herald.call('POST', '/v1/events', { key, body })));
    for (const a of answers) {
      expect(a.status, JSON.stringify(a.body)).toBe(202);
      ids.push(a.body.eventId);
    }
  }
  return ids;
}

const failure = (n: number, status = 'ERROR') => ({
  type: 'check.status',
  title: status === 'OK' ? `svc-${n} is back` : `svc-${n} is failing 🔥`,
  data: { check: `svc-${n}`, status, cluster: 'eu-1' },
});

describe('grouping', () => {
  it('40 failures of a group are one notification; newcomers one more an interval later; the recovery that ends the group at once', async () => {
    // The first waits 8 s: the 40 are posted well within it, even on a busy machine.
    const key = await appGrouping('shop', { by: ['data.cluster'], waitSeconds: 8, intervalSeconds: 4, repeatSeconds: 3600 });
    const firstIds = await postAll(
      key,
      Array.from({ length: 40 }, (_, n) => failure(n)),
      40,
    );
    const [first] = await eventually(async () => groupsAt('/shop').length > 0 && groupsAt('/shop'), 15_000);
    const notice = bodyOf(first as ReceivedRequest);
    expect(notice.group).toMatchObject({ count: 40, more: 20, by: { 'data.cluster': 'eu-1' }, firingCount: 40 });
    expect(notice.group.items).toHaveLength(20);
    expect(notice.title).toBe('40 events in Shop (eu-1): 40 check.status'); // every member counted by type, not only those listed
    expect(notice.severity).toBe('critical');
    // Each member's delivery is recorded grouped, carried by the notification's delivery (its webhook-id).
    const member = await admin('GET', `/v1/apps/shop/events/${firstIds[7]}`);
    expect(member.body.deliveries).toEqual([
      expect.objectContaining({ status: 'grouped', reason: `carried by ${first?.headers['webhook-id']}` }),
    ]);
    await sleep(1000);
    expect(groupsAt('/shop')).toHaveLength(1);

    // Newcomers go together, an interval after the first notification.
    await postAll(key, [failure(40), failure(41), failure(42)]);
    const second = await eventually(async () => groupsAt('/shop')[1], 15_000);
    expect(bodyOf(second).group).toMatchObject({ count: 3, firingCount: 43 });
    expect(second.at - (first as ReceivedRequest).at).toBeGreaterThanOrEqual(4000 - 500);

    // Recoveries: the one that leaves none failing sends the group at once, not an interval later.
    await postAll(
      key,
      Array.from({ length: 42 }, (_, n) => failure(n, 'OK')),
    );
    await sleep(300);
    const lastPost = Date.now();
    await postAll(key, [failure(42, 'OK')]);
    const resolved = await eventually(async () => groupsAt('/shop').find((r) => bodyOf(r).group.firingCount === 0), 15_000);
    expect(resolved.at - lastPost).toBeLessThan(3000);
    expect(resolved.at - second.at).toBeLessThan(4000); // sooner than the interval
    expect(bodyOf(resolved).group.resolved[0]).toMatchObject({ status: 'resolved', downSeconds: expect.any(Number) });
    // Every notification was exactly one delivery to the hook: no member was sent on its own.
    expect(at('/shop').every((r) => bodyOf(r).event_type === 'group')).toBe(true);
  }, 60_000);

  it('1,000 events of one group, 50 at a time in parallel: one notification per interval, which together carry each event once', async () => {
    const key = await appGrouping('burst', { by: ['type'], waitSeconds: 2, intervalSeconds: 3, repeatSeconds: 3600 });
    const started = Date.now();
    const ids = await postAll(
      key,
      Array.from({ length: 1000 }, (_, n) => ({ type: 'queue.backlog', title: `backlog ${n}`, data: { n } })),
    );
    const posting = Date.now() - started;
    // Wait for the notification after the last post (an interval at most), then a little more.
    await eventually(
      async () => groupsAt('/burst').reduce((sum, r) => sum + bodyOf(r).group.count, 0) === 1000,
      posting + 20_000,
      'the groups to carry 1,000 events',
    ).catch((err: Error) => {
      const counts = groupsAt('/burst').map((r) => `${bodyOf(r).group.seq}:${bodyOf(r).group.count}@${r.at - started}`);
      throw new Error(`${err.message}: posting took ${posting} ms; notifications ${counts.join(' ')}`);
    });
    await sleep(1500);
    const notes = groupsAt('/burst');
    expect(notes.reduce((sum, r) => sum + bodyOf(r).group.count, 0)).toBe(1000);
    // No two taken within an interval of each other (the first waits `wait`), and each its own delivery.
    const taken = notes.map((r) => Date.parse(bodyOf(r).occurred_at)).sort((a, b) => a - b);
    for (let i = 1; i < taken.length; i++) expect((taken[i] as number) - (taken[i - 1] as number)).toBeGreaterThanOrEqual(3000 - 200);
    expect(new Set(notes.map((r) => r.headers['webhook-id'])).size).toBe(notes.length);
    // Each event's delivery names one of the notifications that were sent.
    const carriers = new Set(notes.map((r) => `carried by ${r.headers['webhook-id']}`));
    const sample = ids.filter((_, i) => i % 97 === 0);
    for (const id of sample) {
      const [delivery] = (await admin('GET', `/v1/apps/burst/events/${id}`)).body.deliveries;
      expect(delivery.status).toBe('grouped');
      expect(carriers.has(delivery.reason), delivery.reason).toBe(true);
    }
  }, 180_000);

  it('a group still failing repeats on time; an acknowledged incident is not repeated, a new failure is told and repeated', async () => {
    const key = await appGrouping('pager', { by: [], waitSeconds: 1, intervalSeconds: 2, repeatSeconds: 3 });
    await postAll(key, [failure(1)]);
    const first = await eventually(async () => groupsAt('/pager')[0], 10_000);
    const repeat = await eventually(async () => groupsAt('/pager')[1], 10_000);
    expect(bodyOf(repeat)).toMatchObject({ title: 'Still failing in Pager: 1 member', group: { repeat: true, firingCount: 1 } });
    expect(repeat.at - first.at).toBeGreaterThan(3000 - 700);
    expect(repeat.at - first.at).toBeLessThan(3000 + 1500);

    const [incident] = (await admin('GET', '/v1/apps/pager/incidents?status=open')).body.incidents;
    expect((await admin('POST', `/v1/apps/pager/incidents/${incident.id}/ack`, { by: 'ops@pager.example' })).status).toBe(200);
    const count = groupsAt('/pager').length;
    await sleep(4500);
    expect(groupsAt('/pager')).toHaveLength(count); // no repeat of what was acknowledged

    await postAll(key, [failure(2)]);
    const told = await eventually(
      async () => groupsAt('/pager').find((r) => bodyOf(r).group.count === 1 && !bodyOf(r).group.repeat && r.at > repeat.at),
      10_000,
    );
    expect(bodyOf(told).group.items[0]).toMatchObject({ check: 'svc-2', status: 'firing' });
    const again = await eventually(async () => groupsAt('/pager').find((r) => bodyOf(r).group.repeat && r.at > told.at), 10_000);
    expect(bodyOf(again).group.firing.map((m: { check: string }) => m.check)).toEqual(['svc-2']);
  }, 60_000);

  it('a failure keeps its first group, whatever type its further failures have: its recovery ends it, and no repeat follows', async () => {
    const key = await appGrouping('monitor', { by: ['type'], waitSeconds: 1, intervalSeconds: 1, repeatSeconds: 2 });
    const monitor = (type: string) => ({ type, title: type, data: { target: 'https://shop.example' } });
    await postAll(key, [monitor('monitor.down')]);
    await eventually(async () => groupsAt('/monitor').length === 1, 10_000);
    await postAll(key, [monitor('monitor.degraded')]);
    await eventually(async () => groupsAt('/monitor').length === 2, 10_000);
    await postAll(key, [monitor('monitor.recovery')]);
    const ended = await eventually(async () => groupsAt('/monitor').find((r) => bodyOf(r).group.firingCount === 0), 10_000);
    expect(bodyOf(ended).group.by).toEqual({ type: 'monitor.down' }); // the group the failure joined first
    const count = groupsAt('/monitor').length;
    await sleep(4500); // two repeat times
    expect(groupsAt('/monitor')).toHaveLength(count);
  }, 60_000);
});
