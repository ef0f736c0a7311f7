import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GLOBAL_SILENCE,
  Herald,
  HeraldApi,
  HeraldApiError,
  HeraldContacts,
  HeraldIncidents,
  HeraldSilences,
  HeraldSources,
  INSTALLATION_WIDE,
} from '@herald/client';
import { heraldDeps } from '../../shared/aws/wiring.js';
import { watchHeartbeats } from '../../shared/services/heartbeats.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { postAlert as alert } from '../support/inbound.js';

/** The typed core of the client against a real api: answers typed from openapi.json, errors thrown with their fields. */
let herald: TestHerald;
let api: HeraldApi;

beforeAll(async () => {
  herald = await startTestHerald();
  api = new HeraldApi({ url: herald.url, key: () => herald.adminKey });
});
afterAll(() => herald.stop());

describe('HeraldApi', () => {
  it('calls a route with its path parameters, query and body, and answers its JSON', async () => {
    const created = await api.post('/v1/apps', { body: { id: 'typed', name: 'Typed 🛒', owner: { email: 'o@typed.example' } } });
    expect(created.app.name).toBe('Typed 🛒');
    expect(created.apiKey).toMatch(/^hrd_app_/);
    const read = await api.get('/v1/apps/{appId}', { path: { appId: 'typed' } });
    expect(read.app.owner.email).toBe('o@typed.example');
    const page = await api.get('/v1/apps', { query: { limit: 1 } });
    expect(page.apps).toHaveLength(1);
    expect(await api.delete('/v1/apps/{appId}', { path: { appId: 'typed' } })).toBeUndefined();
  });

  it('throws what Herald refused: the status, the code and the field at fault', async () => {
    const refused = await api.post('/v1/apps', { body: { id: 'Not A Slug', name: 'x', owner: { email: 'o@x.example' } } }).catch((e) => e);
    expect(refused).toBeInstanceOf(HeraldApiError);
    expect(refused).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(refused.details.map((d: { path: string }) => d.path)).toContain('id');
    const missing = await api.get('/v1/apps/{appId}', { path: { appId: 'nope' } }).catch((e) => e);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
  });

  it("GET /v1/whoami answers a key's scope, and an ingest key's app", async () => {
    expect(await api.get('/v1/whoami', {})).toEqual({ scope: 'admin' });
    const created = await api.post('/v1/apps', { body: { id: 'who', name: 'Who', owner: { email: 'o@who.example' } } });
    const asApp = new HeraldApi({ url: herald.url, key: created.apiKey });
    expect(await asApp.get('/v1/whoami', {})).toEqual({ scope: 'ingest', appId: 'who', keyId: created.key.id });
    const anonymous = await new HeraldApi({ url: herald.url }).get('/v1/whoami', {}).catch((e) => e);
    expect(anonymous).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('is typed by openapi.json: the compiler refuses a path, a parameter or a field the API does not have', () => {
    const typos = () => [
      // @ts-expect-error a path the API does not have
      api.get('/v1/applications', {}),
      // @ts-expect-error the path parameter is appId
      api.get('/v1/apps/{appId}', { path: { app: 'x' } }),
      // @ts-expect-error an app has no colour
      api.post('/v1/apps', { body: { id: 'x', name: 'x', owner: { email: 'o@x.example' }, colour: 'red' } }),
    ];
    expect(typeof typos).toBe('function');
  });
});

describe('Herald heartbeats', () => {
  it('heartbeat() makes a server known (it goes offline when silent); startHeartbeats() beats until stop()', async () => {
    const { apiKey } = await api.post('/v1/apps', { body: { id: 'beats', name: 'Beats', owner: { email: 'o@beats.example' } } });
    const beats: number[] = [];
    const counting: typeof fetch = (input, init) => {
      if (String(input).endsWith('/v1/heartbeats')) beats.push(Date.now());
      return fetch(input, init);
    };
    const client = new Herald({ url: herald.url, key: apiKey, fetch: counting });
    await client.heartbeat('db-7');
    const running = client.startHeartbeats({ server: 'web-7', everySeconds: 0.1 });
    await new Promise((r) => setTimeout(r, 550));
    running.stop();
    const sent = beats.length;
    expect(sent).toBeGreaterThanOrEqual(4); // db-7, then web-7 at once and every 100 ms
    await new Promise((r) => setTimeout(r, 300));
    expect(beats).toHaveLength(sent);
    // Three minutes later, both servers are silent: Herald says so.
    const later = new Date(Date.now() + 180_000);
    await watchHeartbeats({ ...heraldDeps(herald.config), clock: () => later });
    const { events } = await api.get('/v1/apps/{appId}/events', { path: { appId: 'beats' }, query: { limit: 100 } });
    const offline = events.filter((e) => e.type === 'server.offline').map((e) => (e.data as { server: string }).server);
    expect(offline.sort()).toEqual(['db-7', 'web-7']);
  });
});

describe('HeraldSources', () => {
  it('creates a source whose URL takes its secret, lists and reads it, rotates (the old secret taken a day more) and deletes it', async () => {
    await api.post('/v1/apps', { body: { id: 'srcs', name: 'Sources', owner: { email: 'o@srcs.example' } } });
    const sources = new HeraldSources(api);
    const created = await sources.create('srcs', { kind: 'alertmanager', name: 'Prod Alertmanager', severities: { P1: 'critical' } });
    expect(created.source).toMatchObject({
      kind: 'alertmanager',
      name: 'Prod Alertmanager',
      appId: 'srcs',
      settings: { severities: { P1: 'critical' } },
    });
    expect(created.source.url).toBe(`${herald.url}/v1/inbound/${created.source.id}`);
    const first = created.secret as string;
    expect(await alert(created.source.url, first, 'db-1')).toBe(202);
    expect(await alert(created.source.url, 'not-the-token', 'db-2')).toBe(401);
    expect((await sources.list('srcs')).map((s) => s.name)).toEqual(['Prod Alertmanager']);
    expect(await sources.get('srcs', created.source.id)).not.toHaveProperty('secret');

    const rotated = await sources.rotate('srcs', created.source.id);
    expect(rotated.secret).toBeDefined();
    expect(rotated.secret).not.toBe(first);
    const until = Date.parse(rotated.source.previousSecretUntil as string);
    expect(until - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(await alert(created.source.url, rotated.secret as string, 'db-3')).toBe(202);
    expect(await alert(created.source.url, first, 'db-4')).toBe(202);

    await sources.delete('srcs', created.source.id);
    expect(await sources.get('srcs', created.source.id).catch((e) => e)).toMatchObject({ status: 404, code: 'not_found' });
    expect(await alert(created.source.url, rotated.secret as string, 'db-5')).toBe(404);
    expect(await sources.list('srcs')).toEqual([]);
  });

  it('throws the field at fault, and is typed by each kind: the compiler refuses a setting the kind does not take', async () => {
    const sources = new HeraldSources(api);
    const refused = await sources.create('srcs', { kind: 'json', name: 'Deploys', mapping: { type: 'no path' } }).catch((e) => e);
    expect(refused).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(refused.details.map((d: { path: string }) => d.path)).toContain('mapping.type');
    const typos = () => [
      // @ts-expect-error GitHub signs with an HMAC key: it takes no severities
      sources.create('srcs', { kind: 'github', name: 'x', severities: {} }),
      // @ts-expect-error a JSON source needs its mapping
      sources.create('srcs', { kind: 'json', name: 'x' }),
    ];
    expect(typeof typos).toBe('function');
  });
});

describe('notifiers with grouping', () => {
  it('creates a notifier grouped by data.cluster and reads the grouping back typed; a patch changes a part, a bad field is thrown at its path; null removes it', async () => {
    await api.post('/v1/apps', { body: { id: 'grouped', name: 'Grouped', owner: { email: 'o@grouped.example' } } });
    const path = { appId: 'grouped' };
    const { notifier } = await api.post('/v1/apps/{appId}/notifiers', {
      path,
      body: {
        name: 'Cluster hook',
        channel: 'webhook',
        target: { url: 'http://127.0.0.1:9/hook' },
        // The generated types ask for what has a default too (openapi-typescript's defaultNonNullable).
        events: ['*'],
        enabled: true,
        grouping: { by: ['data.cluster'], waitSeconds: 2, intervalSeconds: 60, repeatSeconds: 3600 },
      },
    });
    const read = await api.get('/v1/apps/{appId}/notifiers/{id}', { path: { ...path, id: notifier.id } });
    // Typed by openapi.json: each duration a number of seconds.
    const grouping: { by: string[]; waitSeconds: number; intervalSeconds: number; repeatSeconds: number } | undefined =
      read.notifier.grouping;
    expect(grouping).toEqual({ by: ['data.cluster'], waitSeconds: 2, intervalSeconds: 60, repeatSeconds: 3600 });

    const id = { ...path, id: notifier.id };
    const refused = await api
      .patch('/v1/apps/{appId}/notifiers/{id}', { path: id, body: { grouping: { by: ['colour'] } } })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(HeraldApiError);
    expect(refused.details.map((d: { path: string }) => d.path)).toEqual(['grouping.by.0']);
    const edited = await api.patch('/v1/apps/{appId}/notifiers/{id}', { path: id, body: { grouping: { intervalSeconds: 600 } } });
    expect(edited.notifier.grouping).toEqual({ by: ['data.cluster'], waitSeconds: 2, intervalSeconds: 600, repeatSeconds: 3600 });
    const removed = await api.patch('/v1/apps/{appId}/notifiers/{id}', { path: id, body: { grouping: null } });
    expect(removed.notifier.grouping).toBeUndefined();

    const typos = () =>
      api.post('/v1/apps/{appId}/notifiers', {
        path,
        body: {
          name: 'x',
          channel: 'webhook',
          target: { url: 'http://127.0.0.1:9/x' },
          events: ['*'],
          enabled: true,
          // @ts-expect-error a wait is a number of seconds, not a duration's text
          grouping: { by: [], waitSeconds: '30s', intervalSeconds: 300, repeatSeconds: 14_400 },
        },
      });
    expect(typeof typos).toBe('function');
  });
});

describe('notifiers with a digest', () => {
  it('creates a notifier with a digest schedule and reads it back typed; a bad pattern is thrown at digest.schedule, nothing created', async () => {
    await api.post('/v1/apps', { body: { id: 'digested', name: 'Digested', owner: { email: 'o@digested.example' } } });
    const path = { appId: 'digested' };
    const hook = { channel: 'webhook' as const, target: { url: 'http://127.0.0.1:9/hook' }, events: ['*'], enabled: true };
    const { notifier } = await api.post('/v1/apps/{appId}/notifiers', {
      path,
      body: {
        ...hook,
        name: 'Morning digest',
        digest: { schedule: '0 9 * * 1-5', timeZone: 'Europe/Berlin', maxItems: 50, sendFirst: true },
      },
    });
    const read = await api.get('/v1/apps/{appId}/notifiers/{id}', { path: { ...path, id: notifier.id } });
    // Typed by openapi.json: a schedule is a cron pattern's text, its bounds numbers (not unknown).
    const digest = read.notifier.digest;
    const schedule: string | undefined = digest?.schedule;
    const maxItems: number | undefined = digest?.maxItems;
    expect([schedule, maxItems]).toEqual(['0 9 * * 1-5', 50]);
    expect(digest).toEqual({ schedule: '0 9 * * 1-5', timeZone: 'Europe/Berlin', maxItems: 50, sendFirst: true });

    const refused = await api
      .post('/v1/apps/{appId}/notifiers', { path, body: { ...hook, name: 'Bad', digest: { schedule: 'every morning' } } })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(HeraldApiError);
    expect(refused).toMatchObject({ status: 400 });
    expect(refused.details.map((d: { path: string }) => d.path)).toEqual(['digest.schedule']);
    expect((await api.get('/v1/apps/{appId}/notifiers', { path, query: { limit: 100 } })).notifiers.map((n) => n.name)).not.toContain(
      'Bad',
    );

    const typos = () =>
      // @ts-expect-error a window is a number of seconds, not a duration's text
      api.post('/v1/apps/{appId}/notifiers', { path, body: { ...hook, name: 'x', digest: { windowSeconds: '1h' } } });
    expect(typeof typos).toBe('function');
  });
});

describe('HeraldSilences', () => {
  const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

  it("creates an app's silence that silences what it matches, lists, reads, previews and expires it; global ones too", async () => {
    const appKey = await herald.createApp('quiet', {
      notifiers: [{ name: 'Hook', channel: 'webhook', target: { url: 'http://127.0.0.1:9/hook' }, events: ['*'], minSeverity: 'info' }],
    });
    const silences = new HeraldSilences(api);
    const matchers = [{ field: 'data.cluster', op: '=', value: 'eu-1' } as const, { field: 'type', op: '=~', value: 'db\\..*' } as const];
    const silence = await silences.create('quiet', { matchers, endsAt: inAnHour(), comment: 'eu-1 maintenance', by: 'ops@quiet.example' });
    expect(silence).toMatchObject({ appId: 'quiet', state: 'active', createdBy: 'ops@quiet.example', matchers });

    const post = (body: object) => herald.call('POST', '/v1/events', { key: appKey, body });
    const muted = await post({ type: 'db.down', title: 'Primary down', data: { cluster: 'eu-1' } });
    expect(muted.body.declined).toEqual([expect.objectContaining({ reason: `silenced: ${silence.id}` })]);
    expect((await post({ type: 'db.down', title: 'Replica down', data: { cluster: 'eu-2' } })).body.declined ?? []).toEqual([]);
    expect((await silences.preview('quiet', matchers)).events.map((e) => e.id)).toEqual([muted.body.eventId]);

    const global = await silences.create(GLOBAL_SILENCE, {
      matchers: [{ field: 'title', op: '=~', value: 'Backup .*' }],
      endsAt: inAnHour(),
      comment: 'backups moved',
    });
    expect(global.appId).toBe('*');
    expect((await silences.list(GLOBAL_SILENCE)).map((s) => s.id)).toEqual([global.id]);
    expect((await silences.list('quiet')).map((s) => s.id)).toEqual([silence.id]);

    await silences.expire('quiet', silence.id);
    await silences.expire(GLOBAL_SILENCE, global.id);
    expect(await silences.get('quiet', silence.id)).toMatchObject({ state: 'expired', expiredAt: expect.any(String) });
    expect(await silences.get(GLOBAL_SILENCE, global.id)).toMatchObject({ state: 'expired' });
    expect(await silences.expire('quiet', silence.id).catch((e) => e)).toMatchObject({ status: 404 });
    expect((await post({ type: 'db.down', title: 'Primary down again', data: { cluster: 'eu-1' } })).body.declined ?? []).toEqual([]);
  });

  it('throws the matcher at fault, and stores nothing', async () => {
    const silences = new HeraldSilences(api);
    const refused = await silences
      .create('quiet', { matchers: [{ field: 'type', op: '=~', value: '(unclosed' }], endsAt: inAnHour(), comment: 'x' })
      .catch((e) => e);
    expect(refused).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(refused.details.map((d: { path: string }) => d.path)).toContain('matchers.0');
    expect((await silences.list('quiet')).every((s) => s.state === 'expired')).toBe(true);
  });
});

describe('HeraldIncidents', () => {
  it("lists a failing check's incident a page at a time, acknowledges it (a further failure held, a second ack refused naming who), resolves another", async () => {
    const appKey = await herald.createApp('oncall', {
      notifiers: [{ name: 'Hook', channel: 'webhook', target: { url: 'http://127.0.0.1:9/hook' }, events: ['*'], minSeverity: 'info' }],
    });
    const check = (name: string, status: string, title: string) =>
      herald.call('POST', '/v1/events', { key: appKey, body: { type: 'check.status', title, data: { check: name, status } } });
    const incidents = new HeraldIncidents(api);
    await check('db', 'ERROR', 'DB down');
    await check('queue', 'ERROR', 'Queue stuck');

    const first = await incidents.list('oncall', { status: 'open', limit: 1 });
    expect(first.incidents).toEqual([
      expect.objectContaining({ check: 'queue', status: 'open', title: 'Queue stuck', severity: 'critical' }),
    ]);
    const second = await incidents.list('oncall', { status: 'open', limit: 1, cursor: first.nextCursor as string });
    expect(second.incidents.map((i) => i.check)).toEqual(['db']);
    const db = second.incidents[0]?.id as string;
    expect(await incidents.get('oncall', db)).toMatchObject({ id: db, check: 'db', status: 'open' });

    const acked = await incidents.ack('oncall', db, { by: 'ops@oncall.example', note: 'looking into it' });
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ops@oncall.example', note: 'looking into it' });
    const held = await check('db', 'WARNING', 'DB degraded');
    expect(held.body.declined).toEqual([expect.objectContaining({ reason: `acknowledged: ${db} by ops@oncall.example` })]);
    const twice = await incidents.ack('oncall', db).catch((e) => e);
    expect(twice).toBeInstanceOf(HeraldApiError);
    expect(twice).toMatchObject({ status: 409, message: expect.stringContaining('acknowledged already by ops@oncall.example') });
    expect((await incidents.list('oncall', { status: 'acknowledged' })).incidents.map((i) => i.id)).toEqual([db]);

    const queue = first.incidents[0]?.id as string;
    expect(await incidents.resolve('oncall', queue)).toMatchObject({ status: 'resolved', resolvedBy: 'admin' });
    await check('db', 'OK', 'DB back');
    const resolved = (await incidents.list('oncall', { status: 'resolved' })).incidents;
    expect(resolved.map((i) => [i.check, i.resolvedBy])).toEqual([
      ['queue', 'admin'],
      ['db', 'recovery'],
    ]);
    expect(await incidents.get('oncall', 'icd_01kzzzzzzzzzzzzzzzzzzzzzzz').catch((e) => e)).toMatchObject({ status: 404 });
    const typos = () => [
      // @ts-expect-error an incident is open, acknowledged or resolved
      incidents.list('oncall', { status: 'closed' }),
      // @ts-expect-error an acknowledgement takes who and a note, nothing else
      incidents.ack('oncall', db, { by: 'x', until: '1h' }),
    ];
    expect(typeof typos).toBe('function');
  });
});

describe('HeraldContacts', () => {
  it("adds an app's and an installation-wide contact, groups them, keeps a masked secret sent back, and refuses to delete one in use", async () => {
    await herald.createApp('crew');
    const contacts = new HeraldContacts(api);
    const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    const ops = await contacts.create('crew', {
      name: 'Ops',
      locale: 'fr',
      channels: [{ channel: 'webhook', target: { url: 'http://127.0.0.1:9/ops', secret } }],
    });
    expect(ops).toMatchObject({ appId: 'crew', name: 'Ops', channels: [{ channel: 'webhook', target: { secret: 'whsec_****' } }] });
    const wide = await contacts.create(INSTALLATION_WIDE, {
      name: 'Night desk',
      channels: [{ channel: 'email', target: { to: ['night@desk.example'] } }],
    });
    expect((await contacts.list(INSTALLATION_WIDE)).map((c) => c.id)).toContain(wide.id);
    expect(await contacts.list('crew')).toEqual([ops]);

    const renamed = await contacts.update('crew', ops.id, { name: 'Ops team', channels: ops.channels });
    expect(renamed.name).toBe('Ops team');
    expect((await herald.deps.contacts.get('crew', ops.id))?.channels[0]?.target['secret']).toBe(secret);
    expect(ops).not.toHaveProperty('secrets'); // given its secret: nothing generated
    // A webhook channel added without a secret gets one, in this answer only.
    const hooked = await contacts.update('crew', ops.id, {
      channels: [...renamed.channels, { channel: 'webhook', target: { url: 'http://127.0.0.1:9/ops-2' } }],
    });
    expect(hooked.secrets).toEqual([{ index: 1, secret: expect.stringMatching(/^whsec_/) }]);
    expect((await herald.deps.contacts.get('crew', ops.id))?.channels[1]?.target['secret']).toBe(hooked.secrets?.[0]?.secret);
    expect(await contacts.get('crew', ops.id)).not.toHaveProperty('secrets');

    const group = await contacts.createGroup('crew', { name: 'Everyone', members: [ops.id, wide.id] });
    expect(await contacts.listGroups('crew')).toEqual([group]);
    const inUse = await contacts.delete('crew', ops.id).catch((e) => e);
    expect(inUse).toBeInstanceOf(HeraldApiError);
    expect(inUse).toMatchObject({
      status: 409,
      code: 'contact_in_use',
      details: [{ path: group.id, message: expect.stringContaining('Everyone') }],
    });
    await contacts.deleteGroup('crew', group.id);
    await contacts.delete('crew', ops.id);
    expect(await contacts.get('crew', ops.id).catch((e) => e)).toMatchObject({ status: 404 });
  });
});
