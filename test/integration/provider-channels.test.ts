import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createECDH } from 'node:crypto';
import webpush from 'web-push';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoIncidentLedger } from '../../shared/aws/dynamo-incident-ledger.js';
import { createTable } from '../../shared/aws/dynamo-table.js';
import type { Channel, SendContext } from '../../shared/channels/channel.js';
import { CHANNELS } from '../support/channels.js';
import type { ChannelName, DeliveryMessage } from '../../shared/core/types.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../../shared/errors.js';
import { startEmulators, type Emulators } from '../../infra/local/emulators.js';
import { provisionTable } from '../../infra/local/provision.js';
import { startStandIns, type StandIns } from '../../infra/local/stand-ins/index.js';
import { deliveryMessage } from '../support/delivery-message.js';

/**
 * Each provider channel against its stand-in, over real HTTP: what the provider receives,
 * and how its refusals, rate limits and outages become permanent failures or retries.
 */

let standIns: StandIns;
let emulators: Emulators;
let context: SendContext;
const now = new Date('2026-11-24T10:00:00Z');

beforeAll(async () => {
  standIns = await startStandIns();
  emulators = await startEmulators();
  await provisionTable(new DynamoDBClient({ region: 'us-east-1', endpoint: emulators.dynamodb }), 'incidents');
  const table = createTable('incidents', { region: 'us-east-1', endpoint: emulators.dynamodb });
  context = {
    httpTimeoutMs: 2000,
    now: () => now,
    outbound: { allowPrivate: true },
    providers: standIns.settings,
    incidentLedger: new DynamoIncidentLedger(table),
  };
});
afterAll(async () => {
  await standIns.close();
  await emulators.stop();
});

let sequence = 0; // unique times for repeated events
const message = deliveryMessage;

const send = (m: DeliveryMessage) => (CHANNELS[m.delivery.channel] as Channel<any>).send(m, context);
const lastDelivered = (provider: string) => standIns.delivered(provider).at(-1) as Record<string, any>;
const at = (provider: string, path: string) => `${standIns.url}/_local/${provider}${path}`;

async function failure(m: DeliveryMessage): Promise<PermanentDeliveryError | TransientDeliveryError> {
  try {
    await send(m);
  } catch (err) {
    if (err instanceof PermanentDeliveryError || err instanceof TransientDeliveryError) return err;
    throw err;
  }
  throw new Error('the send did not fail');
}

const DISCORD = () => at('discord', '/api/webhooks/112233/tok-en_1');
const TEAMS = () => at('teams', '/workflows/abc123/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=s1g');
const GCHAT = () => at('google_chat', '/v1/spaces/AAAA1/messages?key=k3y&token=t0k');
const MATTERMOST = () => at('mattermost', '/hooks/abcdefghijklmnopqrstuvwxyz');
const ROCKET = () => at('rocketchat', '/hooks/AbCdEfGhIjKlMnOpQ/abcdefghijklmnopqrstuvwxyz012345');
const GOTIFY = { serverUrl: '', appToken: 'AbCdEfGhIjKlMnO' };
const PUSHBULLET = { accessToken: `o.${'a'.repeat(32)}` };
const USER_KEY = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';

beforeEach(() => {
  GOTIFY.serverUrl = at('gotify', '');
});

describe('chat channels deliver what their APIs take', () => {
  it('Discord: an embed coloured by severity, mentions off, in the thread asked for', async () => {
    await expect(send(message('discord', { url: DISCORD(), username: 'Herald', threadId: '42' }))).resolves.toEqual({ statusCode: 204 });
    expect(lastDelivered('discord')).toMatchObject({
      webhookId: '112233',
      threadId: '42',
      username: 'Herald',
      allowed_mentions: { parse: [] },
      embeds: [{ title: 'Shop: Web process crashed', color: 0xdc2626, timestamp: '2026-11-24T09:59:00.000Z' }],
    });
    expect(lastDelivered('discord').embeds[0].description).toContain('Exit code 137');
  });

  it('Discord: a title past 256 characters is cut, not refused', async () => {
    await send(message('discord', { url: DISCORD() }, { title: 'x'.repeat(400) }));
    expect(lastDelivered('discord').embeds[0].title).toHaveLength(256);
  });

  it("Discord: a 429 waits for the body's retry_after; an unknown webhook is permanent", async () => {
    standIns.failNext('discord', { status: 429, json: { message: 'You are being rate limited.', retry_after: 3.2, global: false } });
    const limited = await failure(message('discord', { url: DISCORD() }));
    expect(limited).toBeInstanceOf(TransientDeliveryError);
    expect((limited as TransientDeliveryError).retryAfterSeconds).toBe(4);
    standIns.failNext('discord', { status: 404, json: { message: 'Unknown Webhook', code: 10015 } });
    const unknown = await failure(message('discord', { url: DISCORD() }));
    expect(unknown).toBeInstanceOf(PermanentDeliveryError);
    expect(unknown.message).toBe('Discord webhook: HTTP 404: Unknown Webhook');
    expect(unknown.message).not.toContain('tok-en_1');
  });

  it('Discord: more than 5 messages in 2 s to one webhook are rate limited by the stand-in, as by Discord', async () => {
    const url = at('discord', '/api/webhooks/999/burst');
    const results = await Promise.allSettled(Array.from({ length: 7 }, () => send(message('discord', { url }))));
    const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.every((e) => e instanceof TransientDeliveryError && (e.retryAfterSeconds ?? 0) >= 1)).toBe(true);
  });

  it('Teams: one Adaptive Card, title coloured by severity, with a button to the app', async () => {
    await expect(send(message('teams', { url: TEAMS() }))).resolves.toEqual({ statusCode: 202 });
    const card = lastDelivered('teams').card;
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Shop: Web process crashed', color: 'Attention' });
    expect(card.actions[0]).toMatchObject({ type: 'Action.OpenUrl', url: 'https://shop.example.com' });
    const unsigned = await failure(message('teams', { url: TEAMS().replace(/&sig=s1g/, '') }));
    expect(unsigned).toBeInstanceOf(PermanentDeliveryError);
    expect(unsigned.message).toContain('HTTP 401');
  });

  it('Google Chat: a card (escaped body) by default, plain text when asked, threads by key', async () => {
    await send(message('google_chat', { url: GCHAT(), threadKey: 'deploys' }, { message: 'a <b>bold</b> claim' }));
    const card = lastDelivered('google_chat');
    expect(card.threadKey).toBe('deploys');
    expect(card.cardsV2[0].card.header).toEqual({ title: 'Shop: Web process crashed', subtitle: 'Shop' });
    expect(card.cardsV2[0].card.sections[0].widgets[0].textParagraph.text).toContain('a &lt;b&gt;bold&lt;/b&gt; claim');
    await send(message('google_chat', { url: GCHAT(), format: 'text' }, { message: 'Exit code 137, ping <users/all>' }));
    expect(lastDelivered('google_chat').text).toContain('Exit code 137, ping @users/all');
    expect(lastDelivered('google_chat').cardsV2).toBeUndefined();
    standIns.failNext('google_chat', {
      status: 429,
      json: { error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } },
    });
    expect(await failure(message('google_chat', { url: GCHAT() }))).toBeInstanceOf(TransientDeliveryError);
  });

  it('Mattermost: Markdown text with its overrides, mass mentions defused', async () => {
    const target = { url: MATTERMOST(), channel: 'ops', username: 'Herald', iconEmoji: 'rotating_light' };
    await expect(send(message('mattermost', target, { message: 'ping @channel now' }))).resolves.toEqual({ statusCode: 200 });
    expect(lastDelivered('mattermost')).toMatchObject({ channel: 'ops', username: 'Herald', icon_emoji: 'rotating_light' });
    expect(lastDelivered('mattermost').text).toContain('@\u200bchannel');
    standIns.failNext('mattermost', { status: 400, json: { id: 'web.incoming_webhook.invalid.app_error', message: 'Invalid webhook.' } });
    const err = await failure(message('mattermost', target));
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).toContain('Invalid webhook.');
  });

  it('Rocket.Chat: alias, avatar and channel; a 200 with success:false is a failure', async () => {
    const target = { url: ROCKET(), channel: '#ops', username: 'Herald', iconUrl: 'https://herald.example/icon.png' };
    await send(message('rocketchat', target));
    expect(lastDelivered('rocketchat')).toMatchObject({ channel: '#ops', alias: 'Herald', avatar: 'https://herald.example/icon.png' });
    standIns.failNext('rocketchat', { status: 200, json: { success: false, error: 'error-invalid-channel' } });
    const err = await failure(message('rocketchat', target));
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).toContain('error-invalid-channel');
  });

  it('Telegram: HTML with every event text escaped, so that Telegram parses it and shows the text as written', async () => {
    const title = 'Deploy <b>v2</b> & "friends" <script>';
    await send(message('telegram', { chatId: '-1001234567890', threadId: 7, silent: true }, { title, message: 'a < b && c > d' }));
    const got = lastDelivered('telegram');
    expect(got.html.startsWith('<b>Shop: Deploy &lt;b&gt;v2&lt;/b&gt; &amp; "friends" &lt;script&gt;</b>\n')).toBe(true);
    expect(got.text).toContain(`Shop: ${title}\na < b && c > d`);
    expect(got).toMatchObject({ chatId: '-1001234567890', threadId: 7, silent: true });
  });

  it('Telegram: at most 4096 characters once parsed, however long the message', async () => {
    await send(message('telegram', { chatId: '@herald_ops' }, { message: '<&>'.repeat(3000) }));
    expect(lastDelivered('telegram').text.length).toBeLessThanOrEqual(4096);
  });

  it('Telegram: a 429 waits for parameters.retry_after; a wrong bot token is permanent, the token never in the error', async () => {
    standIns.failNext('telegram', {
      status: 429,
      json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 17', parameters: { retry_after: 17 } },
    });
    const limited = await failure(message('telegram', { chatId: '42' }));
    expect(limited).toMatchObject({ retryAfterSeconds: 17, statusCode: 429 });
    const wrong = { ...context, providers: { telegram: { ...standIns.settings.telegram!, botToken: '1:wrong-token' } } };
    const err = await CHANNELS.telegram.send(message('telegram', { chatId: '42' }), wrong).catch((e: Error) => e);
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect((err as Error).message).toBe('Telegram sendMessage: HTTP 401: Unauthorized');
  });

  it('Telegram without a bot token set up fails permanently, saying what to set', async () => {
    const err = await CHANNELS.telegram.send(message('telegram', { chatId: '42' }), { ...context, providers: {} }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect((err as Error).message).toContain('telegram is not configured');
  });
});

describe('push channels deliver what their APIs take', () => {
  it('ntfy: title, priority 5 and a tag for a critical event, a click link, the token as Bearer', async () => {
    const token = `tk_${'a'.repeat(29)}`;
    await send(message('ntfy', { topic: 'shop-alerts', serverUrl: at('ntfy', ''), token }));
    expect(lastDelivered('ntfy')).toMatchObject({
      authorized: true,
      topic: 'shop-alerts',
      title: 'Shop: Web process crashed',
      priority: 5,
      tags: ['rotating_light'],
      click: 'https://shop.example.com',
    });
    await send(message('ntfy', { topic: 'shop-info' }, { severity: 'info' }));
    expect(lastDelivered('ntfy')).toMatchObject({ topic: 'shop-info', priority: 3, authorized: false });
    standIns.failNext('ntfy', { status: 429, json: { code: 42901, http: 429, error: 'limit reached: too many requests' } });
    const err = await failure(message('ntfy', { topic: 'shop-alerts' }));
    expect(err).toBeInstanceOf(TransientDeliveryError);
    expect(err.message).toContain('limit reached');
  });

  it('Gotify: priority 10 for critical, the app token in X-Gotify-Key; a bad token is permanent', async () => {
    await send(message('gotify', GOTIFY));
    expect(lastDelivered('gotify')).toMatchObject({ title: 'Shop: Web process crashed', priority: 10 });
    const err = await failure(message('gotify', { ...GOTIFY, appToken: 'xbad' }));
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).toContain('valid access token');
  });

  it('Pushover: emergency priority with retry and expire for critical events when asked, high priority otherwise', async () => {
    await send(message('pushover', { userKey: USER_KEY, emergency: { retrySeconds: 60, expireSeconds: 3600 }, sound: 'siren' }));
    expect(lastDelivered('pushover')).toMatchObject({ user: USER_KEY, priority: 2, retry: 60, expire: 3600, sound: 'siren' });
    await send(message('pushover', { userKey: USER_KEY }, { severity: 'warning' }));
    expect(lastDelivered('pushover')).toMatchObject({ priority: 1 });
    expect(lastDelivered('pushover').token).toBeUndefined(); // the stand-in keeps the app token out of its outbox
    await send(message('pushover', { userKey: USER_KEY }, { message: 'm'.repeat(2000) }));
    expect(lastDelivered('pushover').message.length).toBeLessThanOrEqual(1024);
  });

  it('Pushover: an invalid user key is permanent, with its reason', async () => {
    const err = await failure(message('pushover', { userKey: USER_KEY }, {}, 'tooShort'));
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).toContain('user identifier is not a valid user');
  });

  it('OneSignal: one user by external id, English and the notifier language; no subscribed device is permanent', async () => {
    await send(message('onesignal', { externalIds: ['user-7'] }));
    expect(lastDelivered('onesignal')).toMatchObject({
      externalIds: ['user-7'],
      headings: { en: 'Shop: Web process crashed' },
      priority: 10,
    });
    standIns.failNext('onesignal', { status: 200, json: { id: '', errors: ['All included players are not subscribed'] } });
    const err = await failure(message('onesignal', { externalIds: ['user-7'] }));
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).toContain('not subscribed');
  });

  it('Pusher Beams: a publish to one user for web, FCM and APNs', async () => {
    await send(message('pusher_beams', { users: ['user-7'] }));
    expect(lastDelivered('pusher_beams')).toMatchObject({
      users: ['user-7'],
      web: { notification: { title: 'Shop: Web process crashed', deep_link: 'https://shop.example.com' } },
      apns: { aps: { alert: { title: 'Shop: Web process crashed' } } },
    });
    standIns.failNext('pusher_beams', { status: 503, json: { error: 'Service Unavailable', description: 'try later' } });
    expect(await failure(message('pusher_beams', { users: ['user-7'] }))).toBeInstanceOf(TransientDeliveryError);
  });

  it('Pushbullet: a link push to a device; a 429 waits until X-Ratelimit-Reset', async () => {
    await send(message('pushbullet', { ...PUSHBULLET, deviceIden: 'ujpah72o0' }));
    expect(lastDelivered('pushbullet')).toMatchObject({ type: 'link', url: 'https://shop.example.com', device_iden: 'ujpah72o0' });
    const reset = String(Math.floor(now.getTime() / 1000) + 90);
    standIns.failNext('pushbullet', {
      status: 429,
      json: { error: { code: 'too_many_requests' } },
      headers: { 'x-ratelimit-reset': reset },
    });
    expect(await failure(message('pushbullet', PUSHBULLET))).toMatchObject({ retryAfterSeconds: 90 });
  });

  it('Web Push: a VAPID-signed, aes128gcm-encrypted payload that the subscription decrypts', async () => {
    const subscription = await (await fetch(at('web_push', '/subscriptions'), { method: 'POST' })).json();
    await expect(send(message('web_push', { subscriptions: [subscription] }))).resolves.toEqual({ statusCode: 201 });
    expect(lastDelivered('web_push')).toMatchObject({
      urgency: 'high',
      ttl: 86400,
      payload: { title: 'Shop: Web process crashed', severity: 'critical', url: 'https://shop.example.com' },
    });
  });

  it('Web Push: an expired subscription (410) is permanent; VAPID keys other than the subscription was made with are refused', async () => {
    const gone = {
      endpoint: at('web_push', '/push/gone'),
      keys: { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: 'AAAAAAAAAAAAAAAAAAAAAA' },
    };
    const err = await failure(message('web_push', { subscriptions: [gone] }));
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).toContain('expired');
    const subscription = await (await fetch(at('web_push', '/subscriptions'), { method: 'POST' })).json();
    const otherKeys = { ...webpush.generateVAPIDKeys(), subject: 'mailto:x@example.com' };
    const refused = await CHANNELS.web_push
      .send(message('web_push', { subscriptions: [subscription] }), { ...context, providers: { webPush: otherKeys } })
      .catch((e: Error) => e);
    expect(refused).toBeInstanceOf(PermanentDeliveryError);
    expect((refused as Error).message).toContain('HTTP 403');
  });
});

describe('incident channels open on failures and close on recoveries, in order', () => {
  const routingKey = 'R0UT1NGKEY0000000000000000000001';
  const down = {
    type: 'monitor.down',
    severity: 'critical' as const,
    data: { target: 'https://shop.example.com' },
    occurredAt: '2026-11-24T10:00:00.000Z',
  };
  const up = {
    type: 'monitor.recovery',
    severity: 'info' as const,
    data: { target: 'https://shop.example.com' },
    occurredAt: '2026-11-24T10:05:00.000Z',
  };

  it('PagerDuty: a trigger, then a resolve with the same dedup_key', async () => {
    await send(message('pagerduty', { routingKey }, down));
    const trigger = lastDelivered('pagerduty');
    expect(trigger).toMatchObject({
      event_action: 'trigger',
      payload: { severity: 'critical', source: 'shop', class: 'monitor.down' },
      incident: 'triggered',
    });
    await send(message('pagerduty', { routingKey }, up));
    expect(lastDelivered('pagerduty')).toMatchObject({ event_action: 'resolve', dedup_key: trigger.dedup_key, incident: 'resolved' });
  });

  it('PagerDuty: a resolve that overtakes its trigger leaves no incident open', async () => {
    const key = 'R0UT1NGKEY0000000000000000000002';
    const sentBefore = standIns.delivered('pagerduty').length;
    await expect(send(message('pagerduty', { routingKey: key }, up))).resolves.toEqual({ statusCode: 202 });
    await expect(send(message('pagerduty', { routingKey: key }, down))).resolves.toEqual({
      suppressed: 'superseded: a newer update of this incident was already sent',
    });
    expect(
      standIns
        .delivered('pagerduty')
        .slice(sentBefore)
        .map((d) => d['event_action']),
    ).toEqual(['resolve']);
  });

  it('PagerDuty: a retry of the same update goes out again; an info event is no incident', async () => {
    const key = 'R0UT1NGKEY0000000000000000000003';
    const trigger = message('pagerduty', { routingKey: key }, down);
    standIns.failNext('pagerduty', {
      status: 429,
      json: { status: 'throttle event', message: 'Requests for this service are arriving too quickly' },
    });
    expect(await failure(trigger)).toBeInstanceOf(TransientDeliveryError);
    await expect(send(trigger)).resolves.toEqual({ statusCode: 202 });
    await expect(send(message('pagerduty', { routingKey: key }, { type: 'app_deployed', severity: 'info' }))).resolves.toMatchObject({
      suppressed: expect.stringContaining('not an incident'),
    });
  });

  it('PagerDuty: a notifier test opens an info alert, to be seen and closed by hand', async () => {
    await send(message('pagerduty', { routingKey }, { type: 'notifier_test', severity: 'info', title: 'Test notification from Herald' }));
    expect(lastDelivered('pagerduty')).toMatchObject({ event_action: 'trigger', payload: { severity: 'info', class: 'notifier_test' } });
  });

  it('PagerDuty: an invalid event is permanent, with the reasons PagerDuty gives', async () => {
    const err = await failure(message('pagerduty', { routingKey }, down, 'short'));
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect(err.message).toContain("'routing_key' must be 32 characters");
  });

  it('Opsgenie: creates an alert under an alias, closes it by that alias; a bad key is permanent', async () => {
    const apiKey = '9a1c6f2e-4b7d-4c1a-9e8f-0123456789ab';
    await send(message('opsgenie', { apiKey, tags: ['shop'] }, down));
    const created = lastDelivered('opsgenie');
    expect(created).toMatchObject({ action: 'create', priority: 'P1', source: 'Herald', entity: 'Shop', tags: ['shop', 'monitor.down'] });
    expect(created.message.length).toBeLessThanOrEqual(130);
    await send(message('opsgenie', { apiKey }, up));
    expect(lastDelivered('opsgenie')).toMatchObject({ action: 'close', alias: created.alias, source: 'Herald' });
    const bad = await failure(message('opsgenie', { apiKey: 'not-a-key' }, down));
    expect(bad).toBeInstanceOf(PermanentDeliveryError);
    expect(bad.message).toContain('Could not authenticate');
  });
});

describe('SMS providers deliver what their APIs take', () => {
  it('Twilio SMS: a form POST with Basic auth to the Messages resource, one segment', async () => {
    const result = await send(message('twilio_sms', { to: ['+4915112345678'] }));
    expect(result).toMatchObject({ statusCode: 201, providerMessageId: expect.stringMatching(/^SM/) });
    expect(lastDelivered('twilio')).toMatchObject({ kind: 'sms', to: '+4915112345678', from: '+15005550006' });
    expect(lastDelivered('twilio').body.length).toBeLessThanOrEqual(160);
  });

  it('Twilio voice: a call that reads the text out in the notifier language, XML escaped', async () => {
    await send(message('twilio_voice', { to: ['+4915112345678'] }, { title: 'Disk <full> & hot' }));
    const { twiml } = lastDelivered('twilio');
    expect(twiml).toMatch(/^<Response><Say language="en-US" loop="2">.*Disk &lt;full&gt; &amp; hot.*<\/Say><\/Response>$/);
  });

  it('Twilio WhatsApp: whatsapp: numbers on both ends', async () => {
    await send(message('twilio_whatsapp', { to: ['+4915112345678'] }));
    expect(lastDelivered('twilio')).toMatchObject({ kind: 'whatsapp', to: 'whatsapp:+4915112345678', from: 'whatsapp:+14155238886' });
  });

  it("Twilio: wrong credentials are permanent with Twilio's code; its 429 is a retry", async () => {
    const wrong = { ...context, providers: { twilio: { ...standIns.settings.twilio!, authToken: 'wrong' } } };
    const err = await CHANNELS.twilio_sms.send(message('twilio_sms', { to: ['+4915112345678'] }), wrong).catch((e: Error) => e);
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect((err as Error).message).toBe('Twilio Messages: HTTP 401: 20003 Authenticate');
    standIns.failNext('twilio', {
      status: 429,
      json: { code: 20429, message: 'Too Many Requests', status: 429 },
      headers: { 'retry-after': '5' },
    });
    expect(await failure(message('twilio_sms', { to: ['+4915112345678'] }))).toMatchObject({ retryAfterSeconds: 5 });
  });

  it('Vonage: digits without +, unicode when the text needs it; its statuses in a 200 decide', async () => {
    await send(message('vonage', { to: ['+4915112345678'] }, { title: 'Déploiement réussi ✅' }));
    expect(lastDelivered('vonage')).toMatchObject({ to: '4915112345678', from: 'Herald', type: 'unicode' });
    standIns.failNext('vonage', { status: 200, json: { 'message-count': '1', messages: [{ status: '1', 'error-text': 'Throttled' }] } });
    expect(await failure(message('vonage', { to: ['+4915112345678'] }))).toBeInstanceOf(TransientDeliveryError);
    const wrong = { ...context, providers: { vonage: { ...standIns.settings.vonage!, apiSecret: 'nope' } } };
    const err = await CHANNELS.vonage.send(message('vonage', { to: ['+4915112345678'] }), wrong).catch((e: Error) => e);
    expect(err).toBeInstanceOf(PermanentDeliveryError);
    expect((err as Error).message).toContain('status 4 Bad Credentials');
  });
});

describe('every provider: rate limits and outages are retried, refusals are not', () => {
  const down = { type: 'monitor.down', severity: 'critical' as const, data: { target: 'matrix' } };
  const cases: [ChannelName, string, () => Record<string, unknown>][] = [
    ['discord', 'discord', () => ({ url: DISCORD() })],
    ['teams', 'teams', () => ({ url: TEAMS() })],
    ['google_chat', 'google_chat', () => ({ url: GCHAT() })],
    ['mattermost', 'mattermost', () => ({ url: MATTERMOST() })],
    ['rocketchat', 'rocketchat', () => ({ url: ROCKET() })],
    ['telegram', 'telegram', () => ({ chatId: '42' })],
    ['ntfy', 'ntfy', () => ({ topic: 'matrix' })],
    ['gotify', 'gotify', () => ({ ...GOTIFY })],
    ['pushover', 'pushover', () => ({ userKey: USER_KEY })],
    ['onesignal', 'onesignal', () => ({ externalIds: ['u1'] })],
    ['pusher_beams', 'pusher_beams', () => ({ users: ['u1'] })],
    ['pushbullet', 'pushbullet', () => ({ ...PUSHBULLET })],
    ['pagerduty', 'pagerduty', () => ({ routingKey: 'R0UT1NGKEY0000000000000000000009' })],
    ['opsgenie', 'opsgenie', () => ({ apiKey: '9a1c6f2e-4b7d-4c1a-9e8f-0123456789ab' })],
    ['twilio_sms', 'twilio', () => ({ to: ['+4915112345678'] })],
    ['twilio_voice', 'twilio', () => ({ to: ['+4915112345678'] })],
    ['twilio_whatsapp', 'twilio', () => ({ to: ['+4915112345678'] })],
    ['vonage', 'vonage', () => ({ to: ['+4915112345678'] })],
  ];

  it.each(cases)(
    '%s: 429 with Retry-After waits at least that long; 503 retries; 403 fails for good',
    async (channel, provider, target) => {
      // Each answer below comes from the stand-in as the provider would send it; the send after it goes through.
      const m = () => message(channel, target(), { ...down, occurredAt: new Date(Date.now() + ++sequence).toISOString() });
      standIns.failNext(provider, { status: 429, json: { message: 'slow down' }, headers: { 'retry-after': '7' } });
      const limited = await failure(m());
      expect(limited).toBeInstanceOf(TransientDeliveryError);
      expect((limited as TransientDeliveryError).retryAfterSeconds).toBeGreaterThanOrEqual(7);
      standIns.failNext(provider, { status: 503, text: 'Service Unavailable' });
      expect(await failure(m())).toBeInstanceOf(TransientDeliveryError);
      standIns.failNext(provider, { status: 403, json: { message: 'Forbidden' } });
      const refused = await failure(m());
      expect(refused).toBeInstanceOf(PermanentDeliveryError);
      expect(refused.message).toContain('HTTP 403');
      await expect(send(m())).resolves.toMatchObject({ statusCode: expect.any(Number) });
    },
  );

  it('web_push: the same, for a push service', async () => {
    const subscription = await (await fetch(at('web_push', '/subscriptions'), { method: 'POST' })).json();
    const m = () => message('web_push', { subscriptions: [subscription] });
    standIns.failNext('web_push', { status: 429, headers: { 'retry-after': '30' } });
    expect(await failure(m())).toMatchObject({ retryAfterSeconds: 30 });
    standIns.failNext('web_push', { status: 413, json: { reason: 'payload too large' } });
    expect(await failure(m())).toBeInstanceOf(PermanentDeliveryError);
    await expect(send(m())).resolves.toEqual({ statusCode: 201 });
  });
});
