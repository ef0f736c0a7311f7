import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS_WITH_SECRETS } from '../support/channel-targets.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { alertmanagerPayload, diskFull } from '../support/inbound.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * Inbound sources over the real HTTP API: created, listed, rotated and deleted like keys,
 * and tools' payloads posted to their URLs (Alertmanager's webhook, Grafana's, a JSON
 * tool's) becoming events that reach a webhook notifier and PagerDuty's stand-in, with the
 * source's own authentication, duplicates, and errors that name the field.
 */

let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  await herald.createApp('infra', {
    notifiers: [
      {
        name: 'Alerts hook',
        channel: 'webhook',
        target: { url: `${receiver.url}/alerts` },
        events: ['alert.*', 'deploy.*'],
        minSeverity: 'info',
      },
      { name: 'Pager', channel: 'pagerduty', target: TARGETS_WITH_SECRETS.pagerduty.target, events: ['alert.*'], minSeverity: 'warning' },
    ],
  });
  herald.startDelivering();
});
afterAll(async () => {
  await herald?.stop();
  await receiver?.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  herald.call(method, path, { key: herald.adminKey, ...(body ? { body } : {}) });

/** Posts to an inbound URL as a tool does: its own body and headers, no Herald key. */
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

const hooked = (title: string) => receiver.requests.filter((r) => r.path === '/alerts' && r.body.includes(title));

describe('sources, managed like keys', () => {
  it('creates each kind with its inbound URL and a secret shown once (none for SNS), lists, shows, rotates and deletes them', async () => {
    const created: Record<string, any> = {};
    for (const body of [
      { kind: 'alertmanager', name: 'Prometheus' },
      { kind: 'grafana', name: 'Grafana', severities: { P1: 'critical' } },
      { kind: 'sns', name: 'CloudWatch', topicArns: ['arn:aws:sns:eu-west-1:123456789012:alarms'] },
      { kind: 'github', name: 'GitHub' },
      { kind: 'json', name: 'Deploy bot', mapping: { type: '=deploy.done', title: '$.job.name' } },
    ]) {
      const res = await admin('POST', '/v1/apps/infra/sources', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.source).toMatchObject({
        kind: body.kind,
        name: body.name,
        appId: 'infra',
        url: `${herald.url}/v1/inbound/${res.body.source.id}`,
      });
      if (body.kind === 'sns') expect(res.body).not.toHaveProperty('secret');
      else expect(res.body.secret).toMatch(/^hrd_src_[A-Za-z0-9_-]{43}$/);
      created[body.kind] = res.body;
    }
    expect(created['grafana'].source.settings).toEqual({ severities: { P1: 'critical' } });

    const listed = await admin('GET', '/v1/apps/infra/sources');
    expect(listed.body.sources.map((s: any) => s.kind).sort()).toEqual(['alertmanager', 'github', 'grafana', 'json', 'sns']);
    expect(JSON.stringify(listed.body)).not.toContain('hrd_src_');
    const shown = await admin('GET', `/v1/apps/infra/sources/${created['json'].source.id}`);
    expect(shown.body.source).toMatchObject({ kind: 'json', settings: { mapping: { type: '=deploy.done', title: '$.job.name' } } });

    // Rotation: the new token works at once, the old one for 24 hours more.
    const url = created['json'].source.url;
    const rotated = await admin('POST', `/v1/apps/infra/sources/${created['json'].source.id}/secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created['json'].secret);
    expect(Date.parse(rotated.body.source.previousSecretUntil) - Date.now()).toBeGreaterThan(23 * 3600_000);
    for (const token of [created['json'].secret, rotated.body.secret])
      expect((await post(url, { job: { name: `Deploy by ${token.slice(-4)}` } }, { authorization: `Bearer ${token}` })).status).toBe(202);

    expect((await admin('DELETE', `/v1/apps/infra/sources/${created['json'].source.id}`)).status).toBe(204);
    expect((await admin('GET', `/v1/apps/infra/sources/${created['json'].source.id}`)).status).toBe(404);
    expect((await post(url, { job: { name: 'x' } }, { authorization: `Bearer ${rotated.body.secret}` })).status).toBe(404);
  });

  it('refuses a bad source: an unknown kind, a JSON source without a type mapping, a bad path, for an app that does not exist', async () => {
    const refused = async (path: string, body: unknown) => (await admin('POST', path, body)).body.error;
    expect(await refused('/v1/apps/infra/sources', { kind: 'nagios', name: 'x' })).toMatchObject({
      code: 'invalid_request',
      details: [expect.objectContaining({ path: 'kind' })],
    });
    expect(await refused('/v1/apps/infra/sources', { kind: 'json', name: 'x', mapping: { title: '$.a' } })).toMatchObject({
      details: [expect.objectContaining({ path: 'mapping.type' })],
    });
    expect(await refused('/v1/apps/infra/sources', { kind: 'json', name: 'x', mapping: { type: 'a.b' } })).toMatchObject({
      details: [expect.objectContaining({ path: 'mapping.type' })],
    });
    expect((await admin('POST', '/v1/apps/nope/sources', { kind: 'github', name: 'x' })).status).toBe(404);
    const ingestKey = await herald.createApp('other');
    expect((await herald.call('POST', '/v1/apps/other/sources', { key: ingestKey, body: { kind: 'github', name: 'x' } })).status).toBe(403);
  });
});

describe('Alertmanager', () => {
  let url: string;
  let token: string;
  beforeAll(async () => {
    const res = await admin('POST', '/v1/apps/infra/sources', { kind: 'alertmanager', name: 'Prometheus' });
    url = res.body.source.url;
    token = res.body.secret;
  });

  // 3 deliveries: the webhook, PagerDuty and the owner's mail (the default notifier takes critical events).
  it('turns each firing alert into a problem and each resolved one into its recovery, told to the webhook and opening then closing a PagerDuty incident', async () => {
    const firing = await post(url, alertmanagerPayload([diskFull('firing', 'db-1', 'a1b2c3d4e5f60001')]), {
      authorization: `Bearer ${token}`,
    });
    expect(firing.status, JSON.stringify(firing.body)).toBe(202);
    expect(firing.body).toMatchObject({ events: 1, duplicate: false, results: [expect.objectContaining({ status: 202, deliveries: 3 })] });
    const [problem] = await eventually(async () => (hooked('Disk full on db-1').length ? hooked('Disk full on db-1') : undefined));
    const told = JSON.parse(problem!.body);
    expect(told).toMatchObject({
      event_type: 'alert.firing',
      severity: 'critical',
      data: { labels: { instance: 'db-1' }, annotations: { description: '/var is 99% full on db-1' } },
    });
    const incident = await eventually(async () =>
      herald.standIns.delivered('pagerduty').find((d: any) => JSON.stringify(d).includes('db-1')),
    );
    expect(incident).toMatchObject({ event_action: 'trigger', incident: 'triggered' });

    const resolved = await post(url, alertmanagerPayload([diskFull('resolved', 'db-1', 'a1b2c3d4e5f60001')], 'resolved'), {
      authorization: `Bearer ${token}`,
    });
    expect(resolved.status).toBe(202);
    await eventually(async () => hooked('Disk full on db-1').find((r) => JSON.parse(r.body).event_type === 'alert.resolved'));
    const closed = await eventually(async () =>
      herald.standIns.delivered('pagerduty').find((d: any) => d.event_action === 'resolve' && d.dedup_key === (incident as any).dedup_key),
    );
    expect(closed).toMatchObject({ incident: 'resolved' });
  });

  it('takes a group of 50 alerts as 50 events in one request; the same notification again is a duplicate that delivers nothing', async () => {
    const alerts = Array.from({ length: 50 }, (_, i) => diskFull('firing', `web-${i}`, `f00d${String(i).padStart(12, '0')}`));
    const first = await post(url, alertmanagerPayload(alerts), { authorization: `Bearer ${token}` });
    expect(first.status).toBe(202);
    expect(first.body.events).toBe(50);
    expect(first.body.results.map((r: any) => r.index)).toEqual([...Array(50).keys()]);
    await eventually(
      async () => alerts.every((_, i) => hooked(`Disk full on web-${i} `).length === 1) || undefined,
      // 50 at once to one host: past 16 in flight, the rest are set aside 10 to 20 s (a busy destination holds up only itself).
      45_000,
      '50 alerts at the webhook',
    );

    const again = await post(url, alertmanagerPayload(alerts), {
      authorization: `Basic ${Buffer.from(`alertmanager:${token}`).toString('base64')}`,
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ events: 50, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(alerts.every((_, i) => hooked(`Disk full on web-${i} `).length === 1)).toBe(true);
  }, 60_000);

  it("is a duplicate when Alertmanager repeats an alert whose text changed ({{ $value }}), and another cluster's source with the same alert is an alert of its own", async () => {
    const alert = diskFull('firing', 'db-7', 'a1b2c3d4e5f60007');
    const first = await post(url, alertmanagerPayload([alert]), { authorization: `Bearer ${token}` });
    expect(first.status).toBe(202);
    await eventually(async () => hooked('Disk full on db-7').length === 1 || undefined);
    // The repeat interval's notification: the same alert, its description templated with the value now.
    const repeat = await post(
      url,
      alertmanagerPayload([{ ...alert, annotations: { ...alert.annotations, description: '/var is 99.6% full' } }]),
      {
        authorization: `Bearer ${token}`,
      },
    );
    expect(repeat.status, JSON.stringify(repeat.body)).toBe(200);
    expect(repeat.body).toMatchObject({ events: 1, duplicate: true });

    // Staging's Alertmanager, its own source in the same app, has the same alert (same labels, same fingerprint).
    const staging = await admin('POST', '/v1/apps/infra/sources', { kind: 'alertmanager', name: 'Prometheus (staging)' });
    const fromStaging = await post(staging.body.source.url, alertmanagerPayload([alert]), {
      authorization: `Bearer ${staging.body.secret}`,
    });
    expect(fromStaging.status, JSON.stringify(fromStaging.body)).toBe(202);
    expect(fromStaging.body).toMatchObject({ duplicate: false, results: [expect.objectContaining({ deliveries: 3 })] });
    await eventually(async () => hooked('Disk full on db-7').length === 2 || undefined, 10_000, "staging's alert told too");
    // Staging's recovery closes staging's alert only: production's is still firing, its check apart.
    const recovered = await post(
      staging.body.source.url,
      alertmanagerPayload([diskFull('resolved', 'db-7', 'a1b2c3d4e5f60007')], 'resolved'),
      {
        authorization: `Bearer ${staging.body.secret}`,
      },
    );
    expect(recovered.status).toBe(202);
    const checks = await eventually(async () => {
      const told = hooked('Disk full on db-7').map((r) => JSON.parse(r.body));
      return told.length === 3 && told.map((t) => [t.event_type, t.data.check]);
    });
    expect(checks[2]?.[0]).toBe('alert.resolved');
    expect(checks[2]?.[1]).toBe(checks[1]?.[1]);
    expect(checks[0]?.[1]).not.toBe(checks[1]?.[1]);
  });

  it('refuses a notification of more than 1,000 alerts (400 naming alerts, and what to set in Alertmanager), storing nothing', async () => {
    const before = (await admin('GET', '/v1/apps/infra/events?limit=100')).body.events.length;
    const alerts = Array.from({ length: 1001 }, (_, i) => diskFull('firing', `big-${i}`, `b16${String(i).padStart(13, '0')}`));
    const res = await post(url, alertmanagerPayload(alerts), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'alerts', message: expect.stringContaining('max_alerts') })]);
    expect((await admin('GET', '/v1/apps/infra/events?limit=100')).body.events.length).toBe(before);
  });

  it('answers 401 to a wrong or missing token and 400 naming the field to a payload of the wrong shape, storing nothing', async () => {
    const before = (await admin('GET', '/v1/apps/infra/events?limit=100')).body.events.length;
    const payload = alertmanagerPayload([diskFull('firing', 'intruder', 'dead00000000beef')]);
    expect((await post(url, payload, { authorization: 'Bearer hrd_src_not-the-token-not-the-token-not-the-token-0' })).status).toBe(401);
    expect((await post(url, payload)).status).toBe(401);
    const wrong = await post(
      url,
      { ...payload, alerts: [{ ...payload.alerts[0], status: 'burning' }] },
      { authorization: `Bearer ${token}` },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual([expect.objectContaining({ path: 'alerts.0.status' })]);
    const notJson = await post(url, 'alerts: everywhere', { authorization: `Bearer ${token}` });
    expect(notJson.status).toBe(400);
    expect((await admin('GET', '/v1/apps/infra/events?limit=100')).body.events.length).toBe(before);
    expect(hooked('intruder')).toHaveLength(0);
  });
});

describe('Grafana and JSON sources', () => {
  it("keeps Grafana's dashboard, panel and silence links in the message, and maps its severity label through the source's mapping", async () => {
    const res = await admin('POST', '/v1/apps/infra/sources', { kind: 'grafana', name: 'Grafana', severities: { p2: 'warning' } });
    const payload = {
      receiver: 'herald',
      status: 'firing',
      orgId: 1,
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'HighLatency', severity: 'P2', grafana_folder: 'Shop' },
          annotations: { summary: 'p99 over 2 s' },
          startsAt: '2026-11-30T05:20:00Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'https://grafana.example/alerting/grafana/abc/view',
          fingerprint: '57c6d9296de2ad39',
          silenceURL: 'https://grafana.example/alerting/silence/new?matcher=alertname%3DHighLatency',
          dashboardURL: 'https://grafana.example/d/shop',
          panelURL: 'https://grafana.example/d/shop?viewPanel=4',
          values: { B: 2.4 },
          valueString: "[ var='B' labels={} value=2.4 ]",
        },
      ],
      groupLabels: { alertname: 'HighLatency' },
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'https://grafana.example/',
      version: '1',
      groupKey: '{}:{alertname="HighLatency"}',
      truncatedAlerts: 0,
      title: '[FIRING:1] HighLatency Shop',
      state: 'alerting',
      message: '**Firing**',
    };
    expect((await post(res.body.source.url, payload, { authorization: `Bearer ${res.body.secret}` })).status).toBe(202);
    const [told] = await eventually(async () => (hooked('p99 over 2 s').length ? hooked('p99 over 2 s') : undefined));
    const event = JSON.parse(told!.body);
    expect(event).toMatchObject({ event_type: 'alert.firing', severity: 'warning', title: 'HighLatency: p99 over 2 s' });
    expect(event.message).toContain('Dashboard: https://grafana.example/d/shop');
    expect(event.message).toContain('Silence: https://grafana.example/alerting/silence/new');
  });

  it('reads any JSON through its mapping, with a state change from check and status, and names the field a payload lacks', async () => {
    const res = await admin('POST', '/v1/apps/infra/sources', {
      kind: 'json',
      name: 'Deploy bot',
      mapping: { type: '=deploy.status', title: '$.job.name', message: '$.job.log', check: '$.job.id', status: '$.state', id: '$.run' },
    });
    const { url } = res.body.source;
    const auth = { authorization: `Bearer ${res.body.secret}` };
    const failed = await post(url, { run: 'r-1', state: 'error', job: { id: 'deploy-shop', name: 'Deploy shop ✗', log: 'exit 1' } }, auth);
    expect(failed.status, JSON.stringify(failed.body)).toBe(202);
    await eventually(async () => hooked('Deploy shop ✗')[0]);
    expect(JSON.parse(hooked('Deploy shop ✗')[0]!.body)).toMatchObject({
      event_type: 'deploy.status',
      data: { check: 'deploy-shop', status: 'ERROR' },
    });
    // The same run again: a duplicate; the same failing state again: unchanged, nobody told.
    expect(
      (await post(url, { run: 'r-1', state: 'error', job: { id: 'deploy-shop', name: 'Deploy shop ✗', log: 'exit 1' } }, auth)).body
        .duplicate,
    ).toBe(true);
    const still = await post(
      url,
      { run: 'r-2', state: 'error', job: { id: 'deploy-shop', name: 'Deploy shop ✗ again', log: 'exit 1' } },
      auth,
    );
    expect(still.body.results[0]).toMatchObject({ status: 202, unchanged: true });
    const ok = await post(url, { run: 'r-3', state: 'ok', job: { id: 'deploy-shop', name: 'Deploy shop ✓' } }, auth);
    expect(ok.status).toBe(202);
    await eventually(async () => hooked('Deploy shop ✓')[0]);

    // What POST /v1/events refuses, refused here too: an event over 64 KiB, a payload nested too deep.
    const big = await post(url, { run: 'r-5', state: 'ok', job: { id: 'deploy-shop', name: 'Big', log: 'x'.repeat(70_000) } }, auth);
    expect(big.status).toBe(413);
    expect(big.body.results[0]).toMatchObject({ status: 413, error: { code: 'payload_too_large' } });
    const deep = `${'{"d":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const nested = await post(url, `{"run":"r-6","state":"ok","job":{"id":"deploy-shop","name":"Deep"},"deep":${deep}}`, auth);
    expect(nested.status).toBe(400);

    const typed = await admin('POST', '/v1/apps/infra/sources', {
      kind: 'json',
      name: 'Typed',
      mapping: { type: '$.kind', title: '$.what' },
    });
    const missing = await post(typed.body.source.url, { what: 'no kind' }, { authorization: `Bearer ${typed.body.secret}` });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: 'kind' })]);
    // A tool's word for a severity is read as Alertmanager's labels are (error: critical), not dropped for the default.
    const rated = await admin('POST', '/v1/apps/infra/sources', {
      kind: 'json',
      name: 'Rated',
      mapping: { type: '=deploy.rated', title: '$.what', severity: '$.level' },
    });
    const graded = await post(
      rated.body.source.url,
      { what: 'Rated deploy', level: 'ERROR' },
      { authorization: `Bearer ${rated.body.secret}` },
    );
    expect(graded.status).toBe(202);
    const event = await admin('GET', `/v1/apps/infra/events/${graded.body.results[0].eventId}`);
    expect(event.body.event).toMatchObject({ type: 'deploy.rated', severity: 'critical' });
    const badType = await post(typed.body.source.url, { kind: 'Not A Type!', what: 'x' }, { authorization: `Bearer ${typed.body.secret}` });
    expect(badType.status).toBe(400);
    expect(badType.body.results[0].error.details).toEqual([expect.objectContaining({ path: 'type' })]);
  });
});
