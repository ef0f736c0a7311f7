import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * Silences as a user meets them: what a silence matches is in the delivery log as silenced
 * and reaches nobody, what it does not match is delivered; a preview names the recent events
 * it would have silenced; a silence ended early silences nothing more; bad matchers are a 400
 * naming the matcher.
 */

let herald: TestHerald;
let receiver: Receiver;
let shopKey: string;
let blogKey: string;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  const hook = (app: string) => ({
    name: 'Hook',
    channel: 'webhook',
    target: { url: `${receiver.url}/${app}` },
    events: ['*'],
    minSeverity: 'info',
  });
  shopKey = await herald.createApp('shop', { notifiers: [hook('shop')] });
  blogKey = await herald.createApp('blog', { notifiers: [hook('blog')] });
  herald.startDelivering();
});
afterAll(async () => {
  await herald?.stop();
  await receiver?.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  herald.call(method, path, { key: herald.adminKey, ...(body ? { body } : {}) });
const post = (key: string, body: unknown) => herald.call('POST', '/v1/events', { key, body });
const told = (app: string, title: string) => receiver.requests.filter((r) => r.path === `/${app}` && r.body.includes(title));
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

describe('silences', () => {
  it("silences what every matcher matches: recorded suppressed 'silenced: <id>', sent nowhere; the rest is delivered", async () => {
    const created = await admin('POST', '/v1/apps/shop/silences', {
      matchers: [
        { field: 'data.cluster', op: '=', value: 'eu-1' },
        { field: 'type', op: '=~', value: 'db\\..*' },
      ],
      endsAt: inAnHour(),
      comment: 'eu-1 database maintenance 🛠️',
      by: 'ops@shop.example',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const silence = created.body.silence;
    expect(silence).toMatchObject({
      id: expect.stringMatching(/^sil_/),
      appId: 'shop',
      state: 'active',
      createdBy: 'ops@shop.example',
      silenced: 0,
    });

    const muted = await post(shopKey, { type: 'db.down', title: 'Primary down 🔥', data: { cluster: 'eu-1' } });
    expect(muted.status).toBe(202);
    expect(muted.body.declined).toEqual([expect.objectContaining({ reason: `silenced: ${silence.id}` })]);
    const other = await post(shopKey, { type: 'db.down', title: 'Replica down', data: { cluster: 'eu-2' } });
    const deploy = await post(shopKey, { type: 'app.deployed', title: 'Deployed in eu-1', data: { cluster: 'eu-1' } });
    await eventually(async () => told('shop', 'Replica down').length === 1 && told('shop', 'Deployed in eu-1').length === 1);
    await settle();
    expect(told('shop', 'Primary down')).toEqual([]);

    const logged = await admin('GET', `/v1/apps/shop/events/${muted.body.eventId}`);
    expect(logged.body.deliveries).toEqual([expect.objectContaining({ status: 'suppressed', reason: `silenced: ${silence.id}` })]);
    expect(other.status).toBe(202);
    expect(deploy.status).toBe(202);

    const listed = await admin('GET', '/v1/apps/shop/silences');
    expect(listed.body.silences).toEqual([expect.objectContaining({ id: silence.id, state: 'active', silenced: 1 })]);

    const preview = await admin('POST', '/v1/apps/shop/silences/preview', { matchers: silence.matchers });
    expect(preview.status).toBe(200);
    expect(preview.body.events.map((e: any) => e.id)).toEqual([muted.body.eventId]);

    // Ended early: it silences nothing more, and is listed as expired.
    expect((await admin('DELETE', `/v1/apps/shop/silences/${silence.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/v1/apps/shop/silences/${silence.id}`)).status).toBe(404);
    await post(shopKey, { type: 'db.down', title: 'Primary down again', data: { cluster: 'eu-1' } });
    await eventually(async () => told('shop', 'Primary down again').length === 1);
    expect((await admin('GET', `/v1/apps/shop/silences/${silence.id}`)).body.silence).toMatchObject({
      state: 'expired',
      expiredAt: expect.any(String),
    });
  });

  it('a global silence silences every app; an app silence only its own', async () => {
    const global = await admin('POST', '/v1/silences', {
      matchers: [{ field: 'title', op: '=~', value: 'Backup .*' }],
      endsAt: inAnHour(),
      comment: 'backups moved',
    });
    expect(global.status, JSON.stringify(global.body)).toBe(201);
    expect(global.body.silence).toMatchObject({ appId: '*', createdBy: 'admin' });
    const shopOnly = await admin('POST', '/v1/apps/shop/silences', {
      matchers: [{ field: 'severity', value: 'warning' }],
      endsAt: inAnHour(),
      comment: 'noisy',
    });
    expect(shopOnly.body.silence.matchers).toEqual([{ field: 'severity', op: '=', value: 'warning' }]);

    await post(blogKey, { type: 'backup.failed', title: 'Backup failed on blog' });
    await post(blogKey, { type: 'disk.low', title: 'Blog disk low', severity: 'warning' });
    await post(shopKey, { type: 'disk.low', title: 'Shop disk low', severity: 'warning' });
    await eventually(async () => told('blog', 'Blog disk low').length === 1);
    await settle();
    expect(told('blog', 'Backup failed on blog')).toEqual([]);
    expect(told('shop', 'Shop disk low')).toEqual([]);
    expect((await admin('GET', '/v1/silences')).body.silences.map((s: any) => s.id)).toEqual([global.body.silence.id]);
    for (const path of [`/v1/silences/${global.body.silence.id}`, `/v1/apps/shop/silences/${shopOnly.body.silence.id}`])
      expect((await admin('DELETE', path)).status).toBe(204);
  });

  it('a failure silenced is told as the silence ends early (DELETE), once: its later reports are no news', async () => {
    const silence = await admin('POST', '/v1/apps/shop/silences', {
      matchers: [{ field: 'check', value: 'checkout' }],
      endsAt: inAnHour(),
      comment: 'deploying',
    });
    await post(shopKey, { type: 'check.failed', title: 'Checkout failing (1)', data: { check: 'checkout', status: 'ERROR' } });
    await settle();
    expect(told('shop', 'Checkout failing (1)')).toEqual([]);
    await admin('DELETE', `/v1/apps/shop/silences/${silence.body.silence.id}`);
    await eventually(async () => told('shop', 'Checkout failing (1)').length === 1);
    await post(shopKey, { type: 'check.failed', title: 'Checkout failing (2)', data: { check: 'checkout', status: 'ERROR' } });
    await settle();
    expect(told('shop', 'Checkout failing (1)')).toHaveLength(1);
    expect(told('shop', 'Checkout failing (2)')).toEqual([]);
  });

  it('when a silence ends at its time, the failures it held that still fail are told; one that recovered meanwhile is not', async () => {
    const ends = Date.now() + 3000;
    await admin('POST', '/v1/apps/shop/silences', {
      matchers: [{ field: 'data.rack', value: 'r7' }],
      endsAt: new Date(ends).toISOString(),
      comment: 'rack r7 maintenance',
    });
    await post(shopKey, { type: 'check.failed', title: 'Cache down on r7', data: { check: 'cache-r7', status: 'ERROR', rack: 'r7' } });
    await post(shopKey, { type: 'check.failed', title: 'Disk down on r7', data: { check: 'disk-r7', status: 'ERROR', rack: 'r7' } });
    await post(shopKey, { type: 'check.failed', title: 'Disk back on r7', data: { check: 'disk-r7', status: 'OK', rack: 'r7' } });
    const [cache] = await eventually(async () => told('shop', 'Cache down on r7').length > 0 && told('shop', 'Cache down on r7'), 15_000);
    expect((cache as { at: number }).at).toBeGreaterThanOrEqual(ends - 500);
    await settle();
    expect(told('shop', 'Disk down on r7')).toEqual([]);
    expect(told('shop', 'Disk back on r7')).toEqual([]);
  });

  it("go with their app: an app made again with a deleted one's id starts with no silence", async () => {
    await herald.createApp('temp');
    const made = await admin('POST', '/v1/apps/temp/silences', {
      matchers: [{ field: 'type', value: 'x' }],
      endsAt: inAnHour(),
      comment: 'x',
    });
    expect(made.status).toBe(201);
    expect((await admin('DELETE', '/v1/apps/temp')).status).toBe(204);
    await herald.createApp('temp');
    expect((await admin('GET', '/v1/apps/temp/silences')).body.silences).toEqual([]);
  });

  it('refuses a silence that would not work, naming the matcher, and stores nothing', async () => {
    const cases: [unknown, string][] = [
      [{ matchers: [{ field: 'colour', value: 'red' }], endsAt: inAnHour(), comment: 'x' }, 'matchers.0'],
      [{ matchers: [{ field: 'type', op: '=~', value: '(unclosed' }], endsAt: inAnHour(), comment: 'x' }, 'matchers.0'],
      [{ matchers: [{ field: 'type', op: '!=', value: 'x' }], endsAt: inAnHour(), comment: 'x' }, 'matchers'],
      [{ matchers: [{ field: 'type', value: 'x' }], endsAt: '2020-01-01T00:00:00Z', comment: 'x' }, 'endsAt'],
      [{ matchers: [], endsAt: inAnHour(), comment: 'x' }, 'matchers'],
      [{ matchers: [{ field: 'type', op: '~', value: 'x' }], endsAt: inAnHour(), comment: 'x' }, 'matchers.0.op'],
    ];
    const before = (await admin('GET', '/v1/apps/shop/silences')).body.silences.length;
    for (const [body, path] of cases) {
      const res = await admin('POST', '/v1/apps/shop/silences', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.error.details.map((d: any) => d.path),
        JSON.stringify(res.body),
      ).toContain(path);
    }
    expect((await admin('GET', '/v1/apps/shop/silences')).body.silences.length).toBe(before);
    expect(
      (await admin('POST', '/v1/apps/nope/silences', { matchers: [{ field: 'type', value: 'x' }], endsAt: inAnHour(), comment: 'x' }))
        .status,
    ).toBe(404);
    expect(
      (
        await herald.call('POST', '/v1/apps/shop/silences', {
          key: shopKey,
          body: { matchers: [{ field: 'type', value: 'x' }], endsAt: inAnHour(), comment: 'x' },
        })
      ).status,
    ).toBe(403);
  });
});
