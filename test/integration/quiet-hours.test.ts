import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heraldDeps } from '../../shared/aws/wiring.js';
import { SWEEPER } from '../../shared/resources.js';
import { sweep } from '../../shared/services/sweeper.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

let herald: TestHerald;
let receiver: Receiver;
let key: string;

/** A window around the present, every day, in UTC: quiet now, and for about an hour more. */
const hhmm = (d: Date) => d.toISOString().slice(11, 16);
const quietNow = (over: object = {}) => ({
  timeZone: 'UTC',
  windows: [
    {
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      from: hhmm(new Date(Date.now() - 3600_000)),
      to: hhmm(new Date(Date.now() + 3600_000)),
    },
  ],
  ...over,
});

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  key = await herald.createApp('night');
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const notifier = async (path: string, quietHours?: object) => {
  const res = await herald.call('POST', '/v1/apps/night/notifiers', {
    key: herald.adminKey,
    body: {
      name: path,
      channel: 'webhook',
      target: { url: `${receiver.url}${path}` },
      events: [`q.${path.slice(1)}`, 'q.crash'],
      ...(quietHours ? { quietHours } : {}),
    },
  });
  expect(res.status).toBe(201);
  notifierAt[path] = res.body.notifier.id;
  return res.body.notifier;
};
/** The notifier of each receiver path: the delivery log shows URLs masked. */
const notifierAt: Record<string, string> = {};
const deliveryOf = async (eventId: string, path: string) =>
  (await herald.call('GET', `/v1/apps/night/events/${eventId}`, { key: herald.adminKey })).body.deliveries.find(
    (d: any) => d.notifierId === notifierAt[path],
  );
const post = async (type: string, severity = 'info') =>
  (await herald.call('POST', '/v1/events', { key, body: { type, severity } })).body.eventId as string;

describe('quiet hours', () => {
  it('suppress a delivery in the window, with the reason, and send nothing', async () => {
    await notifier('/asleep', quietNow());
    const eventId = await post('q.asleep');
    const delivery = await deliveryOf(eventId, '/asleep');
    expect(delivery).toMatchObject({ status: 'suppressed', reason: expect.stringContaining('quiet hours') });
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.requests.filter((r) => r.path === '/asleep')).toHaveLength(0);
  });

  it('let critical events through when the notifier asks for it', async () => {
    await notifier('/oncall', quietNow({ criticalBypass: true }));
    const eventId = await post('q.crash', 'critical');
    await eventually(async () => (await deliveryOf(eventId, '/oncall'))?.status === 'sent', 10_000, 'the critical delivery sent');
    expect((await deliveryOf(eventId, '/asleep')).status).toBe('suppressed'); // no bypass there
  });

  it('hold a delivery until the window ends when the notifier asks for it, then send it', async () => {
    await notifier('/morning', quietNow({ during: 'hold' }));
    const eventId = await post('q.morning');
    const held = await deliveryOf(eventId, '/morning');
    expect(held).toMatchObject({ status: 'queued', reason: expect.stringContaining('held by quiet hours until') });
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.requests.filter((r) => r.path === '/morning')).toHaveLength(0);
    // Two hours later, the sweeper finds it due.
    const later = { ...heraldDeps(herald.config), clock: () => new Date(Date.now() + 2 * 3600_000) };
    expect((await sweep(later, { ...SWEEPER })).requeued).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await deliveryOf(eventId, '/morning'))?.status === 'sent', 10_000, 'the held delivery sent');
    expect(receiver.requests.filter((r) => r.path === '/morning')).toHaveLength(1);
  });

  it("apply the app's quiet hours to notifiers that have none", async () => {
    await herald.call('PATCH', '/v1/apps/night', { key: herald.adminKey, body: { quietHours: quietNow() } });
    await notifier('/inherits');
    const eventId = await post('q.inherits');
    expect((await deliveryOf(eventId, '/inherits')).status).toBe('suppressed');
    await herald.call('PATCH', '/v1/apps/night', { key: herald.adminKey, body: { quietHours: null } });
    const app = (await herald.call('GET', '/v1/apps/night', { key: herald.adminKey })).body.app;
    expect(app.quietHours).toBeUndefined();
  });

  it('refuse a time zone that does not exist and a time that is not HH:MM', async () => {
    const res = await herald.call('POST', '/v1/apps/night/notifiers', {
      key: herald.adminKey,
      body: {
        name: 'x',
        channel: 'webhook',
        target: { url: `${receiver.url}/x` },
        quietHours: { timeZone: 'Mars/Olympus', windows: [{ days: ['mon'], from: '25:00', to: '07:00' }] },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path)).toEqual(
      expect.arrayContaining(['quietHours.timeZone', 'quietHours.windows.0.from']),
    );
  });
});
