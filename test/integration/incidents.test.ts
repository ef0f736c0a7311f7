import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackToken, linkKeyOf } from '../../shared/core/incidents.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * Incidents as a user meets them, against the emulators and the stand-ins: a failing check
 * opens one (its messages carry a one-click acknowledge link), an acknowledgement is announced
 * to whoever was told and holds the incident's further failures, the recovery resolves it and
 * a new failure opens another that is told again; the link acknowledges once, and refuses a
 * changed, expired or borrowed token; PagerDuty and Opsgenie acknowledge theirs.
 */

let herald: TestHerald;
let receiver: Receiver;
let shopKey: string;
const ROUTING_KEY = 'R0UT1NGKEY0000000000000000000001';
const GENIE_KEY = '0b5d7a51-7e0f-4a2b-9c3d-5e6f7a8b9c0d';

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  shopKey = await herald.createApp('shop', {
    notifiers: [
      { name: 'Hook', channel: 'webhook', target: { url: `${receiver.url}/shop` }, events: ['*'], minSeverity: 'info' },
      { name: 'On call', channel: 'pagerduty', target: { routingKey: ROUTING_KEY }, events: ['*'], minSeverity: 'warning' },
      { name: 'Genie', channel: 'opsgenie', target: { apiKey: GENIE_KEY }, events: ['*'], minSeverity: 'warning' },
    ],
  });
  await herald.createApp('blog', {
    notifiers: [{ name: 'Hook', channel: 'webhook', target: { url: `${receiver.url}/blog` }, events: ['*'], minSeverity: 'info' }],
  });
  herald.startDelivering();
});
afterAll(async () => {
  await herald?.stop();
  await receiver?.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  herald.call(method, path, { key: herald.adminKey, ...(body ? { body } : {}) });
const check = (key: string, name: string, status: string, title = `${name} is ${status}`) =>
  herald.call('POST', '/v1/events', { key, body: { type: 'check.status', title, data: { check: name, status } } });
const hooks = (app: string, title: string) =>
  receiver.requests.filter((r) => r.path === `/${app}` && r.body.includes(title)).map((r) => JSON.parse(r.body));
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
const form = (url: string, fields: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });

describe('incidents', () => {
  it('a failure opens an incident and its messages carry the link; an ack is announced and holds further failures; the recovery resolves; a new failure is told again', async () => {
    const failed = await check(shopKey, 'db', 'ERROR', 'Database down 🔥');
    expect(failed.status).toBe(202);
    const [hook] = await eventually(async () => hooks('shop', 'Database down').length > 0 && hooks('shop', 'Database down'));
    expect(hook.incident.id).toMatch(/^icd_/);
    expect(hook.links.acknowledge).toMatch(new RegExp(`^${herald.url}/ack/[0-9a-z]{26}\\.[0-9a-z]+\\.[A-Za-z0-9_-]{16}$`));
    const incidentId = hook.incident.id as string;

    const listed = await admin('GET', '/v1/apps/shop/incidents?status=open');
    expect(listed.status).toBe(200);
    expect(listed.body.incidents).toEqual([
      expect.objectContaining({ id: incidentId, check: 'db', status: 'open', severity: 'critical', title: 'Database down 🔥' }),
    ]);
    await eventually(async () => (await admin('GET', `/v1/apps/shop/incidents/${incidentId}`)).body.incident.told.length === 3);
    const { incident } = (await admin('GET', `/v1/apps/shop/incidents/${incidentId}`)).body;
    // Who was told, their secrets masked: the webhook's URL path, the routing key.
    expect(incident.told.map((t: { channel: string }) => t.channel).sort()).toEqual(['opsgenie', 'pagerduty', 'webhook']);
    expect(JSON.stringify(incident.told)).not.toContain(ROUTING_KEY);
    expect(JSON.stringify(incident.told)).not.toContain(GENIE_KEY);
    expect((await admin('GET', '/v1/apps/shop/incidents?status=acknowledged')).body.incidents).toEqual([]);

    const acked = await admin('POST', `/v1/apps/shop/incidents/${incidentId}/ack`, { by: 'ops@shop.example', note: 'looking into it' });
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    expect(acked.body.incident).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ops@shop.example', note: 'looking into it' });
    // Announced to those told, as an event of its own: the webhook, PagerDuty and Opsgenie acknowledge theirs.
    const [announced] = await eventually(
      async () => hooks('shop', 'Ack by ops@shop.example').length > 0 && hooks('shop', 'Ack by ops@shop.example'),
    );
    expect(announced).toMatchObject({ event_type: 'incident.acknowledged', title: 'Ack by ops@shop.example: looking into it' });
    const pd = await eventually(async () => herald.standIns.delivered('pagerduty').find((d) => d['event_action'] === 'acknowledge'));
    const trigger = herald.standIns.delivered('pagerduty').find((d) => d['event_action'] === 'trigger');
    expect(pd['dedup_key']).toBe(trigger?.['dedup_key']);
    expect(pd['incident']).toBe('acknowledged');
    const genie = await eventually(async () => herald.standIns.delivered('opsgenie').find((d) => d['action'] === 'acknowledge'));
    const created = herald.standIns.delivered('opsgenie').find((d) => d['action'] === 'create');
    expect(genie).toMatchObject({ alias: created?.['alias'], user: 'ops@shop.example', source: 'Herald' });

    // Acknowledged: a further failure (another failing status) goes to nobody, recorded why.
    const worse = await check(shopKey, 'db', 'WARNING', 'Database degraded');
    expect(worse.body.declined).toEqual(
      expect.arrayContaining([expect.objectContaining({ reason: `acknowledged: ${incidentId} by ops@shop.example` })]),
    );
    const again = await admin('POST', `/v1/apps/shop/incidents/${incidentId}/ack`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('ops@shop.example');

    // The recovery is told (to those told of the failure), and resolves the incident.
    await check(shopKey, 'db', 'OK', 'Database back');
    await eventually(async () => hooks('shop', 'Database back').length === 1);
    expect(hooks('shop', 'Database back')[0].incident.id).toBe(incidentId);
    expect(hooks('shop', 'Database back')[0].links).toBeUndefined();
    await eventually(async () => (await admin('GET', `/v1/apps/shop/incidents/${incidentId}`)).body.incident.status === 'resolved');
    expect((await admin('GET', `/v1/apps/shop/incidents/${incidentId}`)).body.incident).toMatchObject({ resolvedBy: 'recovery' });

    // A failure after the recovery opens a new incident, and is told again.
    await check(shopKey, 'db', 'ERROR', 'Database down again');
    const [next] = await eventually(async () => hooks('shop', 'Database down again').length > 0 && hooks('shop', 'Database down again'));
    expect(next.incident.id).not.toBe(incidentId);
    await settle();
    expect(hooks('shop', 'Database degraded')).toEqual([]);
    const open = await admin('GET', '/v1/apps/shop/incidents');
    expect(open.body.incidents.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
      [next.incident.id, 'open'],
      [incidentId, 'resolved'],
    ]);
  });

  it('the one-click link: a page with a button (opening it acknowledges nothing), then its form acknowledges once', async () => {
    await check(shopKey, 'queue', 'ERROR', 'Queue stuck');
    const [hook] = await eventually(async () => hooks('shop', 'Queue stuck').length > 0 && hooks('shop', 'Queue stuck'));
    const link = hook.links.acknowledge as string;

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('Queue stuck');
    expect(html).toMatch(/<form method="post">[\s\S]*<button type="submit">Acknowledge<\/button>/);
    expect((await admin('GET', `/v1/apps/shop/incidents/${hook.incident.id}`)).body.incident.status).toBe('open');

    const done = await form(link, { by: 'ana@shop.example', note: 'on it <b>now</b>' });
    expect(done.status).toBe(200);
    const doneHtml = await done.text();
    expect(doneHtml).toContain('Acknowledged by ana@shop.example: on it &lt;b&gt;now&lt;/b&gt;');
    expect((await admin('GET', `/v1/apps/shop/incidents/${hook.incident.id}`)).body.incident).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'ana@shop.example',
    });
    await eventually(async () => hooks('shop', 'Ack by ana@shop.example').length === 1);

    const twice = await form(link, { by: 'bob@shop.example' });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('Acknowledged by ana@shop.example');
    await settle();
    expect(hooks('shop', 'Ack by bob@shop.example')).toEqual([]);
  });

  it('the link refuses a changed, an expired, or a borrowed token, and acknowledges nothing', async () => {
    await check(shopKey, 'cache', 'ERROR', 'Cache cold');
    await check(shopKey, 'disk', 'ERROR', 'Disk full');
    const [cache] = await eventually(async () => hooks('shop', 'Cache cold').length > 0 && hooks('shop', 'Cache cold'));
    const [disk] = await eventually(async () => hooks('shop', 'Disk full').length > 0 && hooks('shop', 'Disk full'));
    const link = cache.links.acknowledge as string;
    const [base, token] = link.split('/ack/') as [string, string];
    const [ulid, expires, mac] = token.split('.') as [string, string, string];

    const changedMac = `${base}/ack/${ulid}.${expires}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    const longer = `${base}/ack/${ulid}.${(parseInt(expires, 36) + 3600).toString(36)}.${mac}`;
    // Another incident's id with this incident's signature: the signature binds the incident.
    const borrowed = `${base}/ack/${(disk.incident.id as string).slice(4)}.${expires}.${mac}`;
    for (const url of [changedMac, longer, borrowed]) {
      expect((await fetch(url)).status, url).toBe(403);
      expect((await form(url, { by: 'mallory' })).status, url).toBe(403);
    }
    expect((await form(`${base}/ack/not-a-token`)).status).toBe(400);

    const key = linkKeyOf(herald.adminKey);
    const lastWeek = new Date(Date.now() - 8 * 24 * 3600_000);
    const expired = `${base}/ack/${ackToken(key, cache.incident.id, lastWeek)}`;
    const gone = await form(expired, { by: 'late@shop.example' });
    expect(gone.status).toBe(410);
    expect(await gone.text()).toContain('expired');

    for (const id of [cache.incident.id, disk.incident.id]) {
      expect((await admin('GET', `/v1/apps/shop/incidents/${id}`)).body.incident.status).toBe('open');
    }
    // A link signed with another key (another installation's admin key) is refused too.
    const foreign = `${base}/ack/${ackToken(linkKeyOf('hrd_admin_someone_else'), cache.incident.id, new Date())}`;
    expect((await form(foreign)).status).toBe(403);
  });

  it('resolve by hand is announced and closes the tools’ incidents; the API refuses what is not there or not valid', async () => {
    await check(shopKey, 'search', 'ERROR', 'Search down');
    const [hook] = await eventually(async () => hooks('shop', 'Search down').length > 0 && hooks('shop', 'Search down'));
    const id = hook.incident.id as string;
    await eventually(async () => (await admin('GET', `/v1/apps/shop/incidents/${id}`)).body.incident.told.length === 3);
    const resolved = await admin('POST', `/v1/apps/shop/incidents/${id}/resolve`);
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.incident).toMatchObject({ status: 'resolved', resolvedBy: 'admin' });
    await eventually(async () => hooks('shop', 'Resolved by admin').length === 1);
    expect(hooks('shop', 'Resolved by admin')[0].event_type).toBe('incident.resolved');
    await eventually(async () =>
      herald.standIns.delivered('opsgenie').find((d) => d['action'] === 'close' && String(d['alias']).endsWith('check:search')),
    );
    expect((await admin('POST', `/v1/apps/shop/incidents/${id}/ack`, {})).status).toBe(409);

    expect((await admin('GET', '/v1/apps/shop/incidents/icd_01kzzzzzzzzzzzzzzzzzzzzzzz')).status).toBe(404);
    expect((await admin('POST', '/v1/apps/shop/incidents/icd_01kzzzzzzzzzzzzzzzzzzzzzzz/ack', {})).status).toBe(404);
    expect((await admin('GET', '/v1/apps/nope/incidents')).status).toBe(404);
    const bad = await admin('GET', '/v1/apps/shop/incidents?status=sleeping');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'status' })]);
    const long = await admin('POST', `/v1/apps/shop/incidents/${id}/ack`, { by: 'x'.repeat(201) });
    expect(long.status).toBe(400);
    expect(long.body.error.details).toEqual([expect.objectContaining({ path: 'by' })]);
    // Another app's incident is not found through this app.
    expect((await admin('GET', `/v1/apps/blog/incidents/${id}`)).status).toBe(404);
    // An ingest key may not read or acknowledge incidents.
    expect((await herald.call('GET', '/v1/apps/shop/incidents', { key: shopKey })).status).toBe(403);
  });

  it('the recovery of an acknowledged incident reaches whoever was told of its failure, though a further failure was held', async () => {
    const key = await herald.createApp('pager', {
      notifiers: [
        {
          name: 'Pages',
          channel: 'pagerduty',
          target: { routingKey: 'R0UT1NGKEY0000000000000000000002' },
          events: ['*'],
          minSeverity: 'critical',
        },
      ],
    });
    const pd = () => herald.standIns.delivered('pagerduty').filter((d) => String(d['dedup_key']).startsWith('herald:pager:'));
    await check(key, 'queue', 'ERROR', 'Queue down');
    await eventually(async () => pd().some((d) => d['event_action'] === 'trigger'));
    const [incident] = (await admin('GET', '/v1/apps/pager/incidents?status=open')).body.incidents;
    expect((await admin('POST', `/v1/apps/pager/incidents/${incident.id}/ack`, { by: 'ops@pager.example' })).status).toBe(200);
    await eventually(async () => pd().some((d) => d['event_action'] === 'acknowledge'));
    // A further failure: below the notifier's severity, or held by the acknowledgement, it tells PagerDuty nothing.
    expect((await check(key, 'queue', 'UNKNOWN', 'Queue unknown')).status).toBe(202);
    await check(key, 'queue', 'OK', 'Queue back');
    const resolve = await eventually(async () => pd().find((d) => d['event_action'] === 'resolve'));
    expect(resolve['incident']).toBe('resolved');
  });
});
