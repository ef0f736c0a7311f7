import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendContext } from '../../../shared/channels/channel.js';
import { sender as slack } from '../../../shared/channels/slack/slack/sender.js';
import { sender as webhook } from '../../../shared/channels/webhook/webhook/sender.js';
import { verifyWebhook } from '../../../shared/core/webhook-signature.js';
import type { DeliveryMessage } from '../../../shared/core/types.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../../../shared/errors.js';
import { startReceiver, type Receiver } from '../../support/receiver.js';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

const now = new Date('2026-11-24T10:00:00Z');
const context: SendContext = { httpTimeoutMs: 500, now: () => now, outbound: { allowPrivate: true } };
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function message(channel: 'slack' | 'webhook', url: string, target: Record<string, unknown> = {}): DeliveryMessage {
  return {
    v: 1,
    delivery: { id: 'dlv_abc', eventId: 'evt_1', appId: 'shop', notifierId: 'ntf_1', channel, recipient: url },
    event: {
      id: 'evt_1',
      appId: 'shop',
      type: 'app_deployed',
      severity: 'info',
      title: 'Deployed v42',
      message: 'ok',
      data: { commit: 'ac77098' },
      occurredAt: '2026-11-24T09:59:00.000Z',
      receivedAt: '',
      source: { host: 'web-1' },
    },
    app: { id: 'shop', name: 'Shop' },
    notifier: { id: 'ntf_1', name: 'n', target: { url, ...target } },
  };
}

describe('webhook channel', () => {
  it('POSTs the payload with Standard Webhooks headers and a signature that verifies', async () => {
    receiver.requests.length = 0;
    receiver.respond(() => ({ status: 204 }));
    const result = await webhook.send(message('webhook', `${receiver.url}/hook`, { secret, headers: { 'X-Team': 'ops' } }), context);
    expect(result.statusCode).toBe(204);
    const [req] = receiver.requests;
    const ts = Math.floor(now.getTime() / 1000);
    expect(req?.headers['webhook-id']).toBe('dlv_abc');
    expect(req?.headers['webhook-timestamp']).toBe(String(ts));
    expect(req?.headers['x-team']).toBe('ops');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({
      id: 'dlv_abc',
      event_id: 'evt_1',
      event_type: 'app_deployed',
      timestamp: ts,
      app: { id: 'shop', name: 'Shop' },
      severity: 'info',
      title: 'Deployed v42',
      message: 'ok',
      data: { commit: 'ac77098' },
      occurred_at: '2026-11-24T09:59:00.000Z',
      source: { host: 'web-1' },
    });
    expect(verifyWebhook(secret, 'dlv_abc', ts, req?.body ?? '', String(req?.headers['webhook-signature']))).toBe(true);
  });

  it('sends no signature header without a secret', async () => {
    receiver.requests.length = 0;
    receiver.respond(() => ({ status: 200 }));
    await webhook.send(message('webhook', `${receiver.url}/hook`), context);
    expect(receiver.requests[0]?.headers['webhook-signature']).toBeUndefined();
  });

  it.each([
    [500, TransientDeliveryError],
    [503, TransientDeliveryError],
    [408, TransientDeliveryError],
    [429, TransientDeliveryError],
    [400, PermanentDeliveryError],
    [404, PermanentDeliveryError],
    [410, PermanentDeliveryError],
    [301, PermanentDeliveryError],
  ])('classifies HTTP %i', async (status, kind) => {
    receiver.respond(() => ({ status, headers: status === 301 ? { location: 'http://example.com/' } : ({} as Record<string, string>) }));
    const err = await webhook.send(message('webhook', `${receiver.url}/hook`), context).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(kind);
    expect((err as { statusCode?: number }).statusCode).toBe(status);
  });

  it('reads Retry-After as a floor for the next attempt', async () => {
    receiver.respond(() => ({ status: 429, headers: { 'retry-after': '120' } }));
    const err = (await webhook
      .send(message('webhook', `${receiver.url}/hook`), context)
      .catch((e: unknown) => e)) as TransientDeliveryError;
    expect(err.retryAfterSeconds).toBe(120);
  });

  it('treats a timeout and a refused connection as transient', async () => {
    receiver.respond(() => ({ status: 200, delayMs: 2000 }));
    const slow = await webhook.send(message('webhook', `${receiver.url}/hook`), context).catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(TransientDeliveryError);
    expect(String((slow as Error).message)).toContain('timed out');
    const refused = await webhook.send(message('webhook', 'http://127.0.0.1:9/hook'), context).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransientDeliveryError);
  });
});

describe('slack channel', () => {
  it("POSTs Slack's incoming-webhook JSON: text and blocks", async () => {
    receiver.requests.length = 0;
    receiver.respond(() => ({ status: 200 }));
    await slack.send(message('slack', `${receiver.url}/services/T1/B2/tok`), context);
    const body = JSON.parse(receiver.requests[0]?.body ?? '') as { text: string; blocks: { type: string }[] };
    expect(receiver.requests[0]?.path).toBe('/services/T1/B2/tok');
    expect(body.text).toContain('Shop: Deployed v42');
    expect(body.blocks.map((b) => b.type)).toEqual(['section', 'context']);
  });

  it('never names the token of the URL in an error', async () => {
    receiver.respond(() => ({ status: 404 }));
    const err = (await slack
      .send(message('slack', `${receiver.url}/services/T1/B2/supersecrettoken`), context)
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).not.toContain('supersecrettoken');
    expect(slack.maskTarget({ url: 'https://hooks.slack.com/services/T1/B2/supersecrettoken' }).url).toBe(
      'https://hooks.slack.com/services/****/****/supe****',
    );
  });
});
