import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRITICAL_TYPES } from '../../shared/core/catalog.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

let herald: TestHerald;
let receiver: Receiver;
let key: string;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  key = await herald.createApp('shop', { owner: 'owner@shop.example' });
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const post = async (body: object) => (await herald.call('POST', '/v1/events', { key, body })).body;
const deliveriesOf = async (eventId: string) =>
  (await herald.call('GET', `/v1/apps/shop/events/${eventId}`, { key: herald.adminKey })).body.deliveries as any[];
const addNotifier = async (body: object, path = '/v1/apps/shop/notifiers') => {
  const res = await herald.call('POST', path, { key: herald.adminKey, body });
  expect(res.status).toBe(201);
  return res.body.notifier;
};

describe('the event catalog', () => {
  it('knows the types of Scalingo, Cloud 66, Monitron, PM2 Plus and Appmonitor, with categories and severities', async () => {
    const { eventTypes } = (await herald.call('GET', '/v1/event-types', { key })).body;
    const byType = new Map(eventTypes.map((t: any) => [t.type, t]));
    for (const type of [
      'addon_db_upgraded',
      'collaborator_role_changed',
      'variable_bulk_edited',
      'github_unlink',
      'app.deauth',
      'job.backon',
      'agent.stale',
      'exception',
      'bad_behavior',
      'process.restart',
      'check.status_changed',
    ]) {
      expect(byType.has(type), type).toBe(true);
    }
    expect(new Set(eventTypes.map((t: any) => t.category))).toEqual(
      new Set(['addon', 'alert', 'crash', 'deployment', 'lifecycle', 'monitoring', 'database', 'access', 'collaboration', 'configuration']),
    );
    for (const type of [
      'app_crashed',
      'app_crashed_repeated',
      'app_alert_triggered',
      'database_backup_failed',
      'stack.provision.fail',
      'stack.redeploy.fail',
      'stack.redeploy.hook.fail',
      'server.stopped',
      'server.offline',
      'job.fail',
      'process.down',
      'container.down',
      'monitor.down',
      'ssl.expiring',
      'heartbeat.missed',
      'agent.stale',
      'exception',
    ]) {
      expect(byType.get(type), type).toMatchObject({ critical: true, severity: 'critical' });
    }
    for (const t of eventTypes) expect(t.displayName.length > 0 && t.description.length > 0).toBe(true);
  });

  it('accepts a well-formed type it does not know, as custom', async () => {
    const res = await herald.call('POST', '/v1/events', { key, body: { type: 'my.own:thing' } });
    expect(res.status).toBe(202);
    const types = (await herald.call('GET', '/v1/event-types', { key })).body.eventTypes;
    expect(types.some((t: any) => t.type === 'my.own:thing')).toBe(false);
  });
});

describe('the default notifier', () => {
  it('emails the owner critical events and the welcome, never a deployment start', async () => {
    const [notifier] = (await herald.call('GET', '/v1/apps/shop/notifiers', { key: herald.adminKey })).body.notifiers;
    expect(notifier).toMatchObject({ channel: 'email', target: { to: ['owner@shop.example'] }, default: true });
    // every critical type but app_crashed_repeated (a mail per crash); repeats throttled by default, not by a setting
    expect(notifier.events).toEqual(['app_created', ...CRITICAL_TYPES.filter((t) => t !== 'app_crashed_repeated')]);
    expect(notifier.throttle).toBeUndefined();
    const crash = await post({ type: 'app_crashed', title: 'Boom' });
    expect(crash.deliveries).toBe(1);
    expect((await post({ type: 'stack.deploy.started' })).deliveries).toBe(0);
    const welcome = await eventually(
      async () => {
        const { emails } = (await herald.call('GET', '/_local/outbox/email')).body;
        return emails.find((m: any) => m.destination.to.includes('owner@shop.example') && m.subject.includes('set up in Herald'));
      },
      10_000,
      'the welcome mail',
    );
    expect(welcome).toBeDefined();
  });
});

describe('global notifiers', () => {
  it('get the events of every app, and a recipient named by both gets each event once', async () => {
    const appOps = await addNotifier({
      name: 'ops (app)',
      channel: 'webhook',
      target: { url: `${receiver.url}/ops` },
      events: ['deploy.*'],
    });
    const global = await addNotifier(
      { name: 'ops (all apps)', channel: 'webhook', target: { url: `${receiver.url}/ops` }, events: ['deploy.*'] },
      '/v1/notifiers',
    );
    const audit = await addNotifier(
      { name: 'audit (all apps)', channel: 'webhook', target: { url: `${receiver.url}/audit` }, events: ['deploy.*'] },
      '/v1/notifiers',
    );
    const posted = await post({ type: 'deploy.done' });
    expect(posted.deliveries).toBe(2);
    // The log shows URLs masked: which notifier each delivery is for tells the two receivers apart.
    const notifierIds = (await deliveriesOf(posted.eventId)).map((d) => d.notifierId);
    expect(notifierIds).toContain(audit.id);
    expect(notifierIds.filter((id) => id === appOps.id || id === global.id)).toHaveLength(1);
    // another app gets the global ones too
    const blogKey = await herald.createApp('blog', { owner: 'b@blog.example' });
    const fromBlog = await herald.call('POST', '/v1/events', { key: blogKey, body: { type: 'deploy.done' } });
    expect(fromBlog.body.deliveries).toBe(2);
    // What a user notices: the receivers get them, from both apps, once each.
    const arrived = await eventually(
      async () => {
        const got = receiver.requests.filter((r) => r.path === '/audit' && JSON.parse(r.body).event_type === 'deploy.done');
        return got.length >= 2 && got;
      },
      10_000,
      "the global notifier to receive both apps' events",
    );
    expect(arrived.map((r) => JSON.parse(r.body).app.id).sort()).toEqual(['blog', 'shop']);
    expect((await deliveriesOf(posted.eventId)).map((d) => d.status)).toEqual(['sent', 'sent']);
    const opsFromBlog = receiver.requests.filter((r) => r.path === '/ops' && JSON.parse(r.body).app.id === 'blog');
    expect(opsFromBlog).toHaveLength(1);
    await herald.call('DELETE', `/v1/notifiers/${global.id}`, { key: herald.adminKey });
  });

  it("can be tested like an app's notifier, through the real pipeline", async () => {
    const global = await addNotifier(
      { name: 'sre hook', channel: 'webhook', target: { url: `${receiver.url}/sre-test` }, events: ['@crash'] },
      '/v1/notifiers',
    );
    const res = await herald.call('POST', `/v1/notifiers/${global.id}/test`, { key: herald.adminKey });
    expect(res.status).toBe(200);
    expect(res.body.delivery).toMatchObject({
      status: 'sent',
      notifierId: global.id,
      attempts: [{ n: 1, outcome: 'sent', statusCode: 200 }],
    });
    const [request] = receiver.requests.filter((r) => r.path === '/sre-test');
    expect(JSON.parse(request!.body)).toMatchObject({ event_type: 'notifier_test', app: { id: '*', name: 'Herald' } });
    expect(JSON.parse(request!.body).message).toContain('the global notifier "sre hook" works');
    await herald.call('DELETE', `/v1/notifiers/${global.id}`, { key: herald.adminKey });
  });
});

describe('finer selection', () => {
  it('leaves out excluded events even when a glob or category selects them', async () => {
    const mon = await addNotifier({
      name: 'monitoring but not degraded',
      channel: 'webhook',
      target: { url: `${receiver.url}/mon` },
      events: ['@monitoring'],
      exclude: ['monitor.degraded', 'ssl.*'],
    });
    expect((await post({ type: 'monitor.down' })).deliveries).toBeGreaterThanOrEqual(1);
    const degraded = await post({ type: 'monitor.degraded' });
    expect((await deliveriesOf(degraded.eventId)).filter((d) => d.notifierId === mon.id)).toHaveLength(0);
    const ssl = await post({ type: 'ssl.expiring' });
    expect((await deliveriesOf(ssl.eventId)).filter((d) => d.notifierId === mon.id)).toHaveLength(0);
  });
});

describe('lifecycle notifications', () => {
  it('announces app_deleted to the app and global notifiers before the app goes', async () => {
    const app = await herald.call('POST', '/v1/apps', {
      key: herald.adminKey,
      body: { id: 'gone', name: 'Gone', owner: { email: 'g@gone.example' } },
    });
    expect(app.status).toBe(201);
    await addNotifier(
      { name: 'bye', channel: 'webhook', target: { url: `${receiver.url}/bye` }, events: ['app_deleted'] },
      '/v1/apps/gone/notifiers',
    );
    const global = await addNotifier(
      { name: 'all deletions', channel: 'webhook', target: { url: `${receiver.url}/deletions` }, events: ['app_deleted'] },
      '/v1/notifiers',
    );
    expect((await herald.call('DELETE', '/v1/apps/gone', { key: herald.adminKey })).status).toBe(204);
    const [bye, all] = await Promise.all([
      eventually(async () => receiver.requests.find((r) => r.path === '/bye'), 10_000, 'the app notifier'),
      eventually(
        async () => receiver.requests.find((r) => r.path === '/deletions' && JSON.parse(r.body).app.id === 'gone'),
        10_000,
        'the global notifier',
      ),
    ]);
    expect(JSON.parse(bye.body).event_type).toBe('app_deleted');
    expect(JSON.parse(all.body).event_type).toBe('app_deleted');
    await herald.call('DELETE', `/v1/notifiers/${global.id}`, { key: herald.adminKey });
  });

  it('emits notifier_added, notifier_edited and notifier_removed, but not to the notifier being added', async () => {
    const watcher = await addNotifier({
      name: 'watcher',
      channel: 'webhook',
      target: { url: `${receiver.url}/watch` },
      events: ['notifier_*'],
    });
    const other = await addNotifier({ name: 'other', channel: 'slack', target: { url: `${receiver.url}/other` }, events: ['x'] });
    await herald.call('PATCH', `/v1/apps/shop/notifiers/${other.id}`, { key: herald.adminKey, body: { name: 'other2' } });
    await herald.call('DELETE', `/v1/apps/shop/notifiers/${other.id}`, { key: herald.adminKey });
    const seen = await eventually(
      async () => {
        const types = receiver.requests.filter((r) => r.path === '/watch').map((r) => JSON.parse(r.body).event_type);
        return types.length >= 3 && types;
      },
      10_000,
      'three lifecycle events',
    );
    expect(seen.sort()).toEqual(['notifier_added', 'notifier_edited', 'notifier_removed']);
    expect(receiver.requests.filter((r) => r.path === '/watch' && JSON.parse(r.body).data.notifierId === watcher.id)).toHaveLength(0);
  });
});

describe('testing a notifier', () => {
  it('sends a test through the pipeline and answers with the first attempt', async () => {
    const notifier = await addNotifier({
      name: 'tested',
      channel: 'webhook',
      target: { url: `${receiver.url}/tested` },
      events: ['never.matches'],
    });
    const res = await herald.call('POST', `/v1/apps/shop/notifiers/${notifier.id}/test`, { key: herald.adminKey });
    expect(res.status).toBe(200);
    expect(res.body.delivery).toMatchObject({
      notifierId: notifier.id,
      status: 'sent',
      attempts: [expect.objectContaining({ outcome: 'sent', statusCode: 200 })],
    });
    const req = receiver.requests.find((r) => r.path === '/tested');
    expect(JSON.parse(req?.body ?? '{}').event_type).toBe('notifier_test');
  });

  it("answers the receiver's refusal as the outcome", async () => {
    receiver.respond((r) => ({ status: r.path === '/refuses' ? 404 : 200 }));
    const notifier = await addNotifier({
      name: 'refuses',
      channel: 'webhook',
      target: { url: `${receiver.url}/refuses` },
      events: ['never.matches'],
    });
    const res = await herald.call('POST', `/v1/apps/shop/notifiers/${notifier.id}/test`, { key: herald.adminKey });
    expect(res.body.delivery).toMatchObject({ status: 'failed', attempts: [expect.objectContaining({ statusCode: 404 })] });
    receiver.respond(() => ({ status: 200 }));
  });

  it('sends a confirmation when a notifier is created with confirm: true', async () => {
    await addNotifier({
      name: 'confirmed',
      channel: 'slack',
      target: { url: `${receiver.url}/confirmed` },
      events: ['never.matches'],
      confirm: true,
    });
    const req = await eventually(async () => receiver.requests.find((r) => r.path === '/confirmed'), 10_000, 'the confirmation');
    expect(JSON.parse(req.body).text).toContain('Test notification');
  });
});
