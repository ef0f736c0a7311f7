import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heraldDeps } from '../../shared/aws/wiring.js';
import { recordHeartbeat, watchHeartbeats } from '../../shared/services/heartbeats.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/** Heartbeats and offline servers, with a clock the test moves. */
let herald: TestHerald;
let key: string;
let now = Date.now();
const deps = () => ({ ...heraldDeps(herald.config), clock: () => new Date(now) });
const minutes = (n: number) => n * 60_000;

beforeAll(async () => {
  herald = await startTestHerald();
  key = await herald.createApp('fleet');
  await herald.createApp('other');
});
afterAll(() => herald.stop());

const eventsOf = async (appId: string, type: string) =>
  (await herald.call('GET', `/v1/apps/${appId}/events?limit=100`, { key: herald.adminKey })).body.events.filter(
    (e: any) => e.type === type,
  );

describe('POST /v1/heartbeats', () => {
  it('takes a heartbeat from the ingest key for its own app only', async () => {
    expect((await herald.call('POST', '/v1/heartbeats', { key, body: { server: 'web-1' } })).status).toBe(204);
    expect((await herald.call('POST', '/v1/heartbeats', { key, body: { server: 'web-1', app: 'other' } })).status).toBe(403);
    const bad = await herald.call('POST', '/v1/heartbeats', { key, body: { server: 'no spaces please' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('server');
  });
});

describe('the heartbeat watch', () => {
  it('notifies server.offline once a server is silent past the threshold, once, and server.online when it is back', async () => {
    now = Date.now();
    await recordHeartbeat(deps(), 'fleet', 'db-1');
    now += minutes(1);
    expect(await watchHeartbeats(deps())).toEqual({ offline: 0, forgotten: 0 }); // 60 s < 120 s
    now += minutes(2);
    // db-1, and web-1 of the test above
    expect(await watchHeartbeats(deps())).toMatchObject({ offline: 2 });
    expect(await watchHeartbeats(deps())).toMatchObject({ offline: 0 }); // once per transition
    const [offline] = (await eventsOf('fleet', 'server.offline')).filter((e: any) => e.data.server === 'db-1');
    expect(offline).toMatchObject({ severity: 'critical', data: { server: 'db-1', silentSeconds: 180 } });
    expect(offline.message).toContain('No heartbeat from db-1 for 3 min');
    // the default notifier emails the owner: server.offline is critical
    const event = (await herald.call('GET', `/v1/apps/fleet/events/${offline.id}`, { key: herald.adminKey })).body;
    expect(event.deliveries.map((d: any) => d.recipient)).toEqual(['o@fleet.example']);

    now += minutes(10);
    await recordHeartbeat(deps(), 'fleet', 'db-1');
    await recordHeartbeat(deps(), 'fleet', 'db-1');
    const online = await eventsOf('fleet', 'server.online');
    expect(online).toHaveLength(1);
    expect(online[0]).toMatchObject({ data: { server: 'db-1', previousStatus: 'offline', offlineSeconds: 600 } });
    expect(online[0].message).toContain('after 10 min offline');
  });

  it("uses the app's threshold", async () => {
    await herald.call('PATCH', '/v1/apps/other', { key: herald.adminKey, body: { heartbeat: { offlineAfterSeconds: 600 } } });
    now = Date.now() + minutes(60);
    await recordHeartbeat(deps(), 'other', 'slow-1');
    now += minutes(5);
    await watchHeartbeats(deps());
    expect(await eventsOf('other', 'server.offline')).toHaveLength(0);
    now += minutes(6);
    await watchHeartbeats(deps());
    expect(await eventsOf('other', 'server.offline')).toHaveLength(1);
  });

  it('forgets a server that goes offline when the app autoscales, without a notification', async () => {
    const app = await herald.call('POST', '/v1/apps', {
      key: herald.adminKey,
      body: { id: 'scaling', name: 'Scaling', owner: { email: 'o@s.example' }, heartbeat: { forgetOffline: true } },
    });
    expect(app.body.app.heartbeat).toEqual({ offlineAfterSeconds: 120, forgetOffline: true });
    now = Date.now() + minutes(120);
    await recordHeartbeat(deps(), 'scaling', 'worker-17');
    now += minutes(5);
    expect((await watchHeartbeats(deps())).forgotten).toBe(1);
    expect(await eventsOf('scaling', 'server.offline')).toHaveLength(0);
    // it comes back as a new server: no server.online either
    await recordHeartbeat(deps(), 'scaling', 'worker-17');
    expect(await eventsOf('scaling', 'server.online')).toHaveLength(0);
  });
});
