import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, SendContext } from '../../shared/channels/channel.js';
import { CHANNELS } from '../support/channels.js';
import type { ChannelName, DeliveryMessage, HeraldEvent } from '../../shared/core/types.js';
import { verifyWebhook } from '../../shared/core/webhook-signature.js';
import { PermanentDeliveryError } from '../../shared/errors.js';
import { startStandIns, type StandIns } from '../../infra/local/stand-ins/index.js';
import { deliveryMessage } from '../support/delivery-message.js';

/**
 * Local mode's Slack and generic webhook stand-ins, which the README's first notifiers point
 * at: Herald's own channels deliver to them over real HTTP, the outbox shows what arrived,
 * and the Slack one refuses what Slack refuses, with Slack's status and error code.
 */

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let standIns: StandIns;
const context = (): SendContext => ({
  httpTimeoutMs: 2000,
  now: () => new Date(),
  outbound: { allowPrivate: true },
  providers: standIns.settings,
});

beforeAll(async () => {
  standIns = await startStandIns();
});
afterAll(async () => {
  await standIns.close();
});

/** A monitor down, as the README's examples post it. */
const message = (channel: ChannelName, target: Record<string, unknown>, event: Partial<HeraldEvent> = {}) =>
  deliveryMessage(channel, target, {
    type: 'monitor.down',
    title: 'Checkout is down',
    message: 'HTTP 503 from https://shop.example.com/checkout',
    ...event,
  });

const send = (m: DeliveryMessage) => (CHANNELS[m.delivery.channel] as Channel<any>).send(m, context());
const post = (path: string, body: string, type = 'application/json') =>
  fetch(`${standIns.url}/_local/slack${path}`, { method: 'POST', headers: { 'content-type': type }, body });
const SLACK = '/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX';
let hooks = 0;
/** A webhook of its own: the stand-in takes 1/s with bursts of 3 per webhook, as Slack. */
const freshHook = () => `/services/T000/B${String(++hooks).padStart(3, '0')}X/XXXXXXXXXXXXXXXXXXXXXXXX`;

describe('the Slack stand-in', () => {
  it("takes Herald's Slack message, answers ok, and shows it in the outbox without the URL's token", async () => {
    await expect(send(message('slack', { url: `${standIns.url}/_local/slack${SLACK}` }))).resolves.toEqual({ statusCode: 200 });
    const received = standIns.delivered('slack').at(-1);
    expect(received).toMatchObject({ provider: 'slack', team: 'T000', webhook: 'B000', text: expect.stringContaining('Checkout is down') });
    expect((received as any).blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(JSON.stringify(received)).not.toContain('XXXXXXXX');
  });

  it('refuses what Slack refuses, with its status and error code as plain text', async () => {
    const answer = async (res: Promise<Response>) => {
      const r = await res;
      return `${r.status} ${await r.text()}`;
    };
    expect(await answer(post(freshHook(), '{"text":'))).toBe('400 invalid_payload');
    expect(await answer(post(freshHook(), 'text=hi', 'text/plain'))).toBe('400 invalid_payload');
    expect(await answer(post(freshHook(), JSON.stringify({ username: 'x' })))).toBe('400 no_text');
    expect(
      await answer(
        post(freshHook(), JSON.stringify({ blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] })),
      ),
    ).toBe('400 invalid_blocks');
    expect(
      await answer(post(freshHook(), JSON.stringify({ text: 'x', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '' } }] }))),
    ).toBe('400 invalid_blocks');
    expect(await answer(post('/services/T000/B000', JSON.stringify({ text: 'hi' })))).toBe('404 no_service');
    // Slack's older form encoding is accepted too.
    expect(
      await answer(
        post(freshHook(), `payload=${encodeURIComponent(JSON.stringify({ text: 'form' }))}`, 'application/x-www-form-urlencoded'),
      ),
    ).toBe('200 ok');
  });

  it("a refusal reaches Herald's delivery as a permanent failure naming Slack's code", async () => {
    const error = await send(message('slack', { url: `${standIns.url}/_local/slack/services/T000/B000` })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect((error as Error).message).toMatch(/HTTP 404: no_service$/);
  });

  it('delivers an event whose message is longer than a Slack block takes, cut to 3000 characters', async () => {
    const long = message('slack', { url: `${standIns.url}/_local/slack${freshHook()}` }, { message: 'y'.repeat(5000) });
    await expect(send(long)).resolves.toEqual({ statusCode: 200 });
    const section = (standIns.delivered('slack').at(-1) as any).blocks[0].text.text as string;
    expect(section).toHaveLength(3000);
    expect(section.endsWith('y…')).toBe(true);
  });

  it('takes one message a second per webhook with bursts of 3, and answers past it 429 rate_limited with Retry-After, counted', async () => {
    const hook = '/services/T111/B111/burst';
    const before = standIns.rateLimited('slack');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const r = await post(hook, JSON.stringify({ text: `n${i}` }));
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(retryAfter)).toBe(1);
    expect(standIns.rateLimited('slack')).toBe(before + 1);
    expect((await post(freshHook(), JSON.stringify({ text: 'another webhook' }))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await post(hook, JSON.stringify({ text: 'a second later' }))).status).toBe(200);
  });
});

describe('the webhook stand-in', () => {
  it('keeps the body and the headers, so the Standard Webhooks signature can be checked', async () => {
    const target = { url: `${standIns.url}/_local/webhook/shop/deploys`, secret: SECRET, headers: { 'X-Team': 'ops' } };
    await expect(send(message('webhook', target))).resolves.toEqual({ statusCode: 200 });
    const received = standIns.delivered('webhook').at(-1) as any;
    expect(received).toMatchObject({
      provider: 'webhook',
      method: 'POST',
      path: '/shop/deploys',
      headers: { 'x-team': 'ops', 'content-type': 'application/json' },
      body: { event_type: 'monitor.down', title: 'Checkout is down', app: { id: 'shop', name: 'Shop' } },
    });
    const h = received.headers;
    expect(
      verifyWebhook(SECRET, h['webhook-id'], Number(h['webhook-timestamp']), JSON.stringify(received.body), h['webhook-signature']),
    ).toBe(true);
  });
});
