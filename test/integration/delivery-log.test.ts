import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * The delivery log the console reads, through the API: the list with its filters, a
 * notifier's figures, a resend of a failed or dead delivery, the dead letters of a family.
 */
let herald: TestHerald;
let receiver: Receiver;
let key: string;
const ids: Record<string, string> = {};
const posted: { eventId: string; at: Date }[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  // /refuses answers 400 (a permanent failure), /down 500 (retried until dead), the rest 200.
  receiver.respond((req) => ({ status: req.path === '/refuses' ? 400 : req.path === '/down' ? 500 : 200 }));
  herald = await startTestHerald();
  herald.startDelivering();
  key = await herald.createApp('log');
  for (const [name, body] of Object.entries({
    ok: { channel: 'webhook', target: { url: `${receiver.url}/ok` }, events: ['build.*'] },
    refuses: { channel: 'webhook', target: { url: `${receiver.url}/refuses` }, events: ['build.*'] },
    mail: { channel: 'email', target: { to: ['ops@log.example'] }, events: ['build.done'] },
  })) {
    const res = await herald.call('POST', '/v1/apps/log/notifiers', { key: herald.adminKey, body: { name, ...body } });
    ids[name] = res.body.notifier.id;
  }
  for (const type of ['build.started', 'build.done']) {
    const at = new Date();
    const res = await herald.call('POST', '/v1/events', { key, body: { type, title: type } });
    posted.push({ eventId: res.body.eventId, at });
    await new Promise((r) => setTimeout(r, 20));
  }
  await eventually(async () => (await list('')).every((d: any) => d.status === 'sent' || d.status === 'failed'), 15_000, 'every delivery');
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

async function list(query: string, app = 'log'): Promise<any[]> {
  const res = await herald.call('GET', `/v1/apps/${encodeURIComponent(app)}/deliveries${query}`, { key: herald.adminKey });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.deliveries;
}

describe('GET /v1/apps/{appId}/deliveries', () => {
  it('lists newest first, each with its event type, channel, masked recipient, status, attempts and last outcome', async () => {
    const all = await list('');
    // 2 webhooks × 2 events + 1 mail (build.done only); the app's welcome mail went to its default notifier.
    const mine = all.filter((d) => d.notifierId !== all.at(-1).notifierId || d.eventType !== 'app_created');
    expect(mine.filter((d) => d.eventType?.startsWith('build.'))).toHaveLength(5);
    expect(all.map((d) => d.createdAt)).toEqual([...all.map((d) => d.createdAt)].sort().reverse());
    const failed = all.find((d) => d.notifierId === ids['refuses']);
    expect(failed).toMatchObject({
      eventType: 'build.done',
      channel: 'webhook',
      status: 'failed',
      attemptCount: 1,
      lastAttempt: { outcome: 'failed', statusCode: 400 },
    });
  });

  it('filters by several statuses, channel, notifier, event type, event and time range', async () => {
    expect((await list('?status=failed')).map((d) => d.notifierId)).toEqual([ids['refuses'], ids['refuses']]);
    const sentOrFailed = await list('?status=sent,failed');
    expect(new Set(sentOrFailed.map((d) => d.status))).toEqual(new Set(['sent', 'failed']));
    expect((await list('?channel=email&type=build.done')).map((d) => d.recipient)).toEqual(['ops@log.example']);
    expect((await list(`?notifierId=${ids['ok']}&type=build.started`)).map((d) => d.eventId)).toEqual([posted[0]?.eventId]);
    expect((await list(`?eventId=${posted[1]?.eventId}`)).map((d) => d.eventType)).toEqual(['build.done', 'build.done', 'build.done']);
    const since = posted[1]?.at.toISOString() as string;
    expect(new Set((await list(`?type=build.started&since=${since}`)).map((d) => d.eventId))).toEqual(new Set());
    expect(new Set((await list(`?until=${since}&notifierId=${ids['ok']}`)).map((d) => d.eventType))).toEqual(new Set(['build.started']));
  });

  it('pages with a cursor', async () => {
    const first = await herald.call('GET', '/v1/apps/log/deliveries?limit=2&channel=webhook', { key: herald.adminKey });
    expect(first.body.deliveries).toHaveLength(2);
    const second = await herald.call('GET', `/v1/apps/log/deliveries?limit=2&channel=webhook&cursor=${first.body.nextCursor}`, {
      key: herald.adminKey,
    });
    expect(second.body.deliveries).toHaveLength(2);
    expect(second.body.deliveries[0].id < first.body.deliveries[1].id).toBe(true);
  });

  it('refuses a bad filter with the field at fault, and an ingest key', async () => {
    for (const [query, path] of [
      ['?status=failed,lost', 'status'],
      ['?since=yesterday', 'since'],
      ['?channel=pigeon', 'channel'],
    ]) {
      const res = await herald.call('GET', `/v1/apps/log/deliveries${query}`, { key: herald.adminKey });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
    }
    // A cursor Herald did not give: too long for a key, not a delivery's, an emoji.
    const long = Buffer.from(`dlv_${'0'.repeat(1500)}`).toString('base64url');
    for (const path of [
      `/v1/apps/log/deliveries?cursor=${long}`,
      `/v1/apps/log/deliveries?status=failed&cursor=${long}`,
      `/v1/apps/log/deliveries?status=failed&cursor=${encodeURIComponent('🙂')}`,
      `/v1/dlq/webhook?cursor=${long}`,
      `/v1/dlq/webhook?cursor=${Buffer.from('x'.repeat(1500)).toString('base64url')}`,
      `/v1/dlq/webhook?cursor=${encodeURIComponent('🙂')}`,
      `/v1/dlq/webhook?cursor=${'A'.repeat(3000)}`,
    ]) {
      const res = await herald.call('GET', path, { key: herald.adminKey });
      expect(res.status, path).toBe(400);
      expect(res.body.error.details.map((d: any) => d.path)).toContain('cursor');
    }
    expect((await herald.call('GET', '/v1/apps/log/deliveries', { key })).status).toBe(403);
    expect((await herald.call('GET', '/v1/apps/nope/deliveries', { key: herald.adminKey })).status).toBe(404);
  });
});

describe('GET /v1/apps/{appId}/notifiers/{id}/stats', () => {
  it("counts a notifier's deliveries over the last 24 hours, with the success rate and latencies", async () => {
    const ok = (await herald.call('GET', `/v1/apps/log/notifiers/${ids['ok']}/stats`, { key: herald.adminKey })).body.stats;
    expect(ok).toMatchObject({ sent: 2, failed: 0, dead: 0, pending: 0, suppressed: 0, successRate: 1, complete: true });
    expect(ok.latencyMs.p95).toBeGreaterThanOrEqual(ok.latencyMs.p50);
    expect(ok.last).toMatchObject({ status: 'sent' });
    const refused = (await herald.call('GET', `/v1/apps/log/notifiers/${ids['refuses']}/stats`, { key: herald.adminKey })).body.stats;
    expect(refused).toMatchObject({ sent: 0, failed: 2, successRate: 0 });
    const later = new Date(Date.now() + 60_000).toISOString();
    const none = (await herald.call('GET', `/v1/apps/log/notifiers/${ids['ok']}/stats?since=${later}`, { key: herald.adminKey })).body
      .stats;
    expect(none).toMatchObject({ sent: 0, successRate: null, latencyMs: null });
    expect((await herald.call('GET', '/v1/apps/log/notifiers/ntf_nope/stats', { key: herald.adminKey })).status).toBe(404);
  });
});

describe('POST /v1/apps/{appId}/deliveries/{id}/resend', () => {
  it('sends a failed delivery again, as the same delivery (same webhook-id), and refuses a sent one with 409', async () => {
    const [failed] = await list(`?status=failed&type=build.done`);
    receiver.respond(() => ({ status: 200 }));
    const resent = await herald.call('POST', `/v1/apps/log/deliveries/${failed.id}/resend`, { key: herald.adminKey });
    expect(resent.status).toBe(202);
    expect(resent.body.delivery.id).toBe(failed.id);
    // Queued again (an attempt under way shows retrying: it had attempts); it may well be sent by the time the answer is read.
    expect(['queued', 'retrying', 'sent']).toContain(resent.body.delivery.status);
    const sent = await eventually(
      async () => {
        const { body } = await herald.call('GET', `/v1/apps/log/deliveries/${failed.id}`, { key: herald.adminKey });
        return body.delivery.status === 'sent' && body.delivery;
      },
      10_000,
      'the resent delivery',
    );
    expect(sent.attempts.map((a: any) => a.statusCode)).toEqual([400, 200]);
    expect(receiver.requests.filter((r) => r.headers['webhook-id'] === failed.id).map((r) => r.path)).toEqual(['/refuses', '/refuses']);

    const again = await herald.call('POST', `/v1/apps/log/deliveries/${failed.id}/resend`, { key: herald.adminKey });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('is sent');
    expect((await herald.call('POST', '/v1/apps/log/deliveries/dlv_nope/resend', { key: herald.adminKey })).status).toBe(404);
  });

  it('takes a dead delivery out of the dead letters, and a later redrive of its DLQ message sends nothing', async () => {
    receiver.respond((req) => ({ status: req.path === '/down' ? 500 : 200 }));
    const dk = await herald.createApp('dead', {
      notifiers: [{ name: 'down', channel: 'webhook', target: { url: `${receiver.url}/down` }, events: ['job.*'] }],
    });
    await herald.call('POST', '/v1/events', { key: dk, body: { type: 'job.failed' } });
    const [dead] = await eventually(async () => {
      const found = await list('?status=dead', 'dead');
      return found.length === 1 && found;
    }, 20_000);
    expect((await herald.call('GET', '/v1/dlq', { key: herald.adminKey })).body.channels.webhook.messages).toBe(1);
    const letters = await herald.call('GET', '/v1/dlq/webhook', { key: herald.adminKey });
    expect(letters.body.deliveries).toMatchObject([
      { id: dead.id, appId: 'dead', eventType: 'job.failed', attemptCount: 4, lastAttempt: { statusCode: 500 } },
    ]);

    receiver.respond(() => ({ status: 200 }));
    expect((await herald.call('POST', `/v1/apps/dead/deliveries/${dead.id}/resend`, { key: herald.adminKey })).status).toBe(202);
    expect((await herald.call('GET', '/v1/dlq', { key: herald.adminKey })).body.channels.webhook.messages).toBe(0);
    const hits = () => receiver.requests.filter((r) => r.headers['webhook-id'] === dead.id && r.path === '/down');
    await eventually(async () => hits().length === 5, 10_000, 'the resent dead delivery');

    const redrive = await herald.call('POST', '/v1/dlq/webhook/redrive', { key: herald.adminKey });
    expect(redrive.body).toEqual({ moved: 0 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(hits()).toHaveLength(5);
  });
});

describe('what the console needs besides', () => {
  it("lists an app's servers, online since when", async () => {
    expect((await herald.call('POST', '/v1/heartbeats', { key, body: { server: 'web-1' } })).status).toBe(204);
    const res = await herald.call('GET', '/v1/apps/log/servers', { key: herald.adminKey });
    expect(res.body.servers).toMatchObject([{ server: 'web-1', state: 'online' }]);
    expect(res.body.heartbeat).toEqual({ offlineAfterSeconds: 120, forgetOffline: false });
  });

  it('says which channels this installation can use, and the VAPID key browsers subscribe with', async () => {
    const res = await herald.call('GET', '/v1/installation', { key: herald.adminKey });
    expect(res.body.channels.find((c: any) => c.name === 'telegram')).toMatchObject({ family: 'chat', provider: 'telegram', ready: true });
    expect(res.body.webPush.publicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    const bare = await startTestHerald({ emulators: herald.emulators, providers: {} });
    try {
      const none = await bare.call('GET', '/v1/installation', { key: bare.adminKey });
      expect(none.body.channels.find((c: any) => c.name === 'telegram')).toMatchObject({ ready: false, missing: 'telegram' });
      expect(none.body.channels.find((c: any) => c.name === 'webhook')).toMatchObject({ ready: true });
      expect(none.body.webPush).toBeNull();
    } finally {
      await bare.stop();
    }
  });

  it("files a global notifier's test under the installation, *", async () => {
    const created = await herald.call('POST', '/v1/notifiers', {
      key: herald.adminKey,
      body: { name: 'all apps', channel: 'webhook', target: { url: `${receiver.url}/global` }, events: ['nothing.matches'] },
    });
    const test = await herald.call('POST', `/v1/notifiers/${created.body.notifier.id}/test`, { key: herald.adminKey });
    expect(test.body.delivery).toMatchObject({ appId: '*', status: 'sent' });
    expect((await list('', '*')).map((d) => d.id)).toContain(test.body.delivery.id);
  });
});
