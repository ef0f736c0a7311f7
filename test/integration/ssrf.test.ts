import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/** Herald configured as on AWS: notifiers may not point at private addresses. */
let herald: TestHerald;
beforeAll(async () => {
  herald = await startTestHerald({ local: false });
  await herald.createApp('shop');
});
afterAll(() => herald.stop());

describe('saving a notifier on AWS', () => {
  it.each([
    ['webhook', 'http://93.184.216.34/hook', 'must be https'],
    ['webhook', 'https://127.0.0.1/hook', 'private'],
    ['webhook', 'https://[::ffff:10.0.0.1]/hook', 'private'],
    ['webhook', 'https://[::127.0.0.1]/hook', 'private'],
    ['webhook', 'https://[::a9fe:a9fe]/latest/meta-data/', 'private'],
    ['webhook', 'https://[::ffff:0:7f00:1]/hook', 'private'],
    ['webhook', 'https://[64:ff9b:1::7f00:1]/hook', 'private'],
    ['webhook', 'https://[2002:7f00:1::]/hook', 'private'],
    ['slack', 'https://[fec0::1]/services/T/B/x', 'private'],
    ['slack', 'https://169.254.169.254/latest/meta-data/', 'private'],
    ['slack', 'https://localhost/services/T/B/x', 'private'],
  ])('refuses a %s notifier to %s, naming target.url', async (channel, url, why) => {
    const res = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'x', channel, target: { url } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ path: 'target.url', message: expect.stringContaining(why) });
  });

  it.each([
    ['discord', { url: 'https://127.0.0.1/api/webhooks/1/t' }, 'target.url'],
    ['teams', { url: 'https://169.254.169.254/workflows/x' }, 'target.url'],
    ['ntfy', { topic: 'alerts', serverUrl: 'https://10.1.2.3' }, 'target.serverUrl'],
    ['gotify', { serverUrl: 'http://93.184.216.34', appToken: 'AbCdEfGhIjKlMnO' }, 'target.serverUrl'],
    [
      'web_push',
      { subscriptions: [{ endpoint: 'https://[::1]/push/x', keys: { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) } }] },
      'target.subscriptions.0.endpoint',
    ],
  ])('refuses a %s notifier that would call %j, naming %s', async (channel, target, path) => {
    const res = await herald.call('POST', '/v1/apps/shop/notifiers', { key: herald.adminKey, body: { name: 'x', channel, target } });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ path });
  });

  it('refuses a patch that points a notifier somewhere private', async () => {
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'ok', channel: 'webhook', target: { url: 'https://93.184.216.34/hook' } },
    });
    expect(created.status).toBe(201);
    const res = await herald.call('PATCH', `/v1/apps/shop/notifiers/${created.body.notifier.id}`, {
      key: herald.adminKey,
      body: { target: { url: 'https://10.0.0.8/hook' } },
    });
    expect(res.status).toBe(400);
    expect((await herald.deps.notifiers.get('shop', created.body.notifier.id))?.target?.['url']).toBe('https://93.184.216.34/hook');
  });
});
