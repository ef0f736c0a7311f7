import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heraldDeps } from '../../shared/aws/wiring.js';
import { ingestEvent } from '../../shared/services/ingest.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/** Throttled repeats, chosen occurrences and state changes, with a clock the test moves. */
let herald: TestHerald;
let receiver: Receiver;
let now = Date.now();
const deps = () => ({ ...heraldDeps(herald.config), clock: () => new Date(now) });
const post = (appId: string, body: Parameters<typeof ingestEvent>[2]) => ingestEvent(deps(), appId, body);

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  for (const id of ['noisy', 'checks']) {
    await herald.createApp(id, { name: id });
  }
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

/** The notifier of each receiver path: the delivery log shows URLs masked. */
const notifierAt: Record<string, string> = {};
const addNotifier = async (appId: string, body: { target?: { url?: string } } & Record<string, unknown>) => {
  const res = await herald.call('POST', `/v1/apps/${appId}/notifiers`, { key: herald.adminKey, body });
  expect(res.status).toBe(201);
  if (body.target?.url) notifierAt[new URL(body.target.url).pathname] = res.body.notifier.id;
  return res.body.notifier;
};
const statusesOf = async (appId: string, eventId: string, path: string) =>
  (await herald.call('GET', `/v1/apps/${appId}/events/${eventId}`, { key: herald.adminKey })).body.deliveries
    .filter((d: any) => d.notifierId === notifierAt[path])
    .map((d: any) => [d.status, d.reason ?? '']);

describe('throttled repeats (bad behavior)', () => {
  it('sends the first, suppresses 2..N, sends one "bad behavior" at N+1, then nothing until the window has passed', async () => {
    await addNotifier('noisy', {
      name: 'throttled',
      channel: 'webhook',
      target: { url: `${receiver.url}/thr` },
      events: ['app_crashed'],
      throttle: { limit: 3, windowSeconds: 60 },
    });
    now = Date.now();
    const results = [];
    for (let i = 0; i < 6; i++) {
      now += 1000;
      results.push(await post('noisy', { type: 'app_crashed', message: 'TypeError: x is undefined' }));
    }
    const statuses = [];
    for (const r of results) statuses.push((await statusesOf('noisy', r.eventId, '/thr'))[0]);
    const outcome = ([status]: string[]) => (status === 'suppressed' ? 'held back' : 'out');
    expect(statuses.map(outcome)).toEqual(['out', 'held back', 'held back', 'out', 'held back', 'held back']);
    expect(statuses[1][1]).toContain('throttled: repeat 2 within 60 s');
    const sent = await eventually(
      async () => {
        const hits = receiver.requests.filter((r) => r.path === '/thr');
        return hits.length === 2 && hits;
      },
      10_000,
      'two webhooks',
    );
    const bad = sent.map((r) => JSON.parse(r.body)).find((b) => b.event_type === 'bad_behavior');
    expect(bad).toMatchObject({ title: 'app_crashed happened 4 times in 60 s', data: { originalType: 'app_crashed', repeats: 4 } });
    // A different problem is counted apart.
    const other = await post('noisy', { type: 'app_crashed', message: 'RangeError' });
    expect((await statusesOf('noisy', other.eventId, '/thr'))[0][0]).not.toBe('suppressed');
    // The window has passed: the next one goes out.
    now += 61_000;
    const later = await post('noisy', { type: 'app_crashed', message: 'TypeError: x is undefined' });
    expect((await statusesOf('noisy', later.eventId, '/thr'))[0][0]).not.toBe('suppressed');
  });
});

describe('occurrence thresholds', () => {
  it('tells only the chosen occurrences of a type within the window', async () => {
    await addNotifier('noisy', {
      name: 'counted',
      channel: 'webhook',
      target: { url: `${receiver.url}/occ` },
      events: ['app_restarted'],
      occurrences: { on: [2, 5], windowSeconds: 3600 },
    });
    now = Date.now() + 10 * 3600_000;
    const told: boolean[] = [];
    for (let i = 1; i <= 6; i++) {
      now += 1000;
      const r = await post('noisy', { type: 'app_restarted', message: `restart ${i}` });
      told.push((await statusesOf('noisy', r.eventId, '/occ'))[0][0] !== 'suppressed');
    }
    expect(told).toEqual([false, true, false, false, true, false]);
  });
});

describe('state changes', () => {
  it('notifies a check only when its status changes, saying the previous one and for how long', async () => {
    await addNotifier('checks', { name: 'checks', channel: 'webhook', target: { url: `${receiver.url}/checks` }, events: ['check.*'] });
    now = Date.now();
    const first = await post('checks', { type: 'check.status_changed', data: { check: 'api', status: 'OK' } });
    expect(first.deliveries).toBe(0); // a healthy first report is no news
    now += 5 * 60_000;
    const error = await post('checks', { type: 'check.status_changed', data: { check: 'api', status: 'ERROR' } });
    expect(error.deliveries).toBe(1);
    const event = (await herald.call('GET', `/v1/apps/checks/events/${error.eventId}`, { key: herald.adminKey })).body.event;
    expect(event.data).toMatchObject({ previousStatus: 'OK', previousStatusSeconds: 300 });
    expect(event.message).toContain('Previously OK for 5 min');
    now += 60_000;
    expect((await post('checks', { type: 'check.status_changed', data: { check: 'api', status: 'ERROR' } })).deliveries).toBe(0);
    expect((await post('checks', { type: 'check.status_changed', data: { check: 'db', status: 'ERROR' } })).deliveries).toBe(1); // another check
  });

  it('sends a recovery to whoever got the failure, even if it did not select recoveries', async () => {
    await addNotifier('checks', {
      name: 'all monitors',
      channel: 'webhook',
      target: { url: `${receiver.url}/all-monitors` },
      events: ['monitor.*'],
    });
    const pager = await addNotifier('checks', {
      name: 'pager',
      channel: 'webhook',
      target: { url: `${receiver.url}/pager` },
      events: ['monitor.down'],
    });
    now = Date.now() + 3600_000;
    const down = await post('checks', { type: 'monitor.down', data: { target: 'https://shop.example' } });
    expect(down.deliveries).toBe(3); // both, and the default notifier: monitor.down is critical
    now += 30_000;
    expect((await post('checks', { type: 'monitor.down', data: { target: 'https://shop.example' } })).deliveries).toBe(0);
    now += 10 * 60_000;
    const up = await post('checks', { type: 'monitor.recovery', data: { target: 'https://shop.example' } });
    expect(up.deliveries).toBe(3); // the same three: the pager and the owner did not select recoveries
    const recovery = await eventually(
      async () => receiver.requests.find((r) => r.path === '/pager' && JSON.parse(r.body).event_type === 'monitor.recovery'),
      10_000,
      'the recovery at the pager',
    );
    expect(JSON.parse(recovery.body).message).toContain('Previously DOWN for 11 min');
    expect(pager.events).toEqual(['monitor.down']);
  });
});
