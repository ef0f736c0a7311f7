import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sender as webhook } from '../../shared/channels/webhook/webhook/sender.js';
import { verifyWebhook } from '../../shared/core/webhook-signature.js';
import type { DeliveryMessage } from '../../shared/core/types.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

let herald: TestHerald;
let receiver: Receiver;
let key: string;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  key = await herald.createApp('shop');
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const signaturesOf = (path: string, n: number) =>
  eventually(
    async () => {
      const hits = receiver.requests.filter((r) => r.path === path);
      return hits.length >= n && hits[n - 1];
    },
    10_000,
    `request ${n} at ${path}`,
  );
const verifies = (secret: string, req: { headers: Record<string, unknown>; body: string }) =>
  verifyWebhook(
    secret,
    String(req.headers['webhook-id']),
    Number(req.headers['webhook-timestamp']),
    req.body,
    String(req.headers['webhook-signature']),
  );

describe('webhook secrets', () => {
  it('generates a secret for a webhook notifier created without one, shown once, and signs with it', async () => {
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'hook', channel: 'webhook', target: { url: `${receiver.url}/gen` }, events: ['s.gen'] },
    });
    expect(created.status).toBe(201);
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body.notifier.target.secret).toBe('whsec_****');
    const read = await herald.call('GET', `/v1/apps/shop/notifiers/${created.body.notifier.id}`, { key: herald.adminKey });
    expect(JSON.stringify(read.body)).not.toContain(secret.slice(6));
    await herald.call('POST', '/v1/events', { key, body: { type: 's.gen' } });
    expect(verifies(secret, await signaturesOf('/gen', 1))).toBe(true);
  });

  it('rotates: the new secret and the old one both sign for 24 hours', async () => {
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'rot', channel: 'webhook', target: { url: `${receiver.url}/rot` }, events: ['s.rot'] },
    });
    const old = created.body.secret as string;
    const rotated = await herald.call('POST', `/v1/apps/shop/notifiers/${created.body.notifier.id}/secret`, { key: herald.adminKey });
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.secret as string;
    expect(fresh).not.toBe(old);
    await herald.call('POST', '/v1/events', { key, body: { type: 's.rot' } });
    const req = await signaturesOf('/rot', 1);
    expect(String(req.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifies(fresh, req)).toBe(true);
    expect(verifies(old, req)).toBe(true);
    // A secret set by PATCH rotates the same way.
    const mine = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    await herald.call('PATCH', `/v1/apps/shop/notifiers/${created.body.notifier.id}`, {
      key: herald.adminKey,
      body: { target: { secret: mine } },
    });
    await herald.call('POST', '/v1/events', { key, body: { type: 's.rot' } });
    const next = await signaturesOf('/rot', 2);
    expect(verifies(mine, next) && verifies(fresh, next) && verifies(old, next)).toBe(true);
  });

  it('stops signing with a replaced secret after 24 hours', async () => {
    receiver.requests.length = 0;
    const message = {
      v: 1,
      delivery: { id: 'dlv_x', eventId: 'evt_x', appId: 'shop', notifierId: 'n', channel: 'webhook', recipient: `${receiver.url}/late` },
      event: { id: 'evt_x', appId: 'shop', type: 'x', severity: 'info', occurredAt: '2026-11-24T10:00:00Z', receivedAt: '' },
      app: { id: 'shop', name: 'Shop' },
      notifier: {
        id: 'n',
        name: 'n',
        target: {
          url: `${receiver.url}/late`,
          secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
          previousSecrets: [{ secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', until: '2026-11-24T12:00:00.000Z' }],
        },
      },
    } as DeliveryMessage;
    const context = { httpTimeoutMs: 1000, outbound: { allowPrivate: true } };
    await webhook.send(message, { ...context, now: () => new Date('2026-11-24T11:00:00Z') });
    await webhook.send(message, { ...context, now: () => new Date('2026-11-25T11:00:00Z') });
    const [before, after] = receiver.requests.filter((r) => r.path === '/late');
    expect(String(before?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(String(after?.headers['webhook-signature']).split(' ')).toHaveLength(1);
  });
});
