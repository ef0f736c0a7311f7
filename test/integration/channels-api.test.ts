import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, FAMILY_NAMES } from '../../shared/core/types.js';
import { eventually } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * Every provider through the API and the real pipeline: chosen for a notifier, its
 * recipient checked when saved, its secrets masked, an event delivered to its stand-in.
 */

let herald: TestHerald;
let ingestKey: string;
const subscription: { endpoint?: string; keys?: object } = {};

const local = (provider: string, path: string) => `${herald.standIns.url}/_local/${provider}${path}`;

/** A valid target for each new channel, pointing at the stand-ins. */
const targets = (): Record<string, Record<string, unknown>> => ({
  discord: { url: local('discord', '/api/webhooks/1234567890/s3cr3t-token') },
  teams: { url: local('teams', '/workflows/wf1/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=SIGNATURE') },
  google_chat: { url: local('google_chat', '/v1/spaces/AAAA/messages?key=KEY&token=TOKEN') },
  mattermost: { url: local('mattermost', '/hooks/abcdefghijklmnopqrstuvwxyz'), channel: 'ops' },
  rocketchat: { url: local('rocketchat', '/hooks/AbCdEfGhIjKlMnOpQ/abcdefghijklmnopqrstuvwxyz012345'), channel: '#ops' },
  telegram: { chatId: '-1001234567890' },
  ntfy: { topic: 'shop-secret-topic' },
  gotify: { serverUrl: local('gotify', ''), appToken: 'AgotifyT0kenXyz' },
  pushover: { userKey: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG' },
  onesignal: { externalIds: ['user-1'] },
  pusher_beams: { users: ['user-1'] },
  pushbullet: { accessToken: `o.${'b'.repeat(32)}` },
  web_push: { subscriptions: [subscription] },
  pagerduty: { routingKey: 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12' },
  opsgenie: { apiKey: '9a1c6f2e-4b7d-4c1a-9e8f-0123456789ab', region: 'eu' },
  twilio_sms: { to: ['+4915112345678'] },
  twilio_voice: { to: ['+4915112345678'] },
  twilio_whatsapp: { to: ['+4915112345678'] },
  vonage: { to: ['+4915112345678'] },
});

/** The stand-in each channel reaches. */
const PROVIDER: Record<string, string> = { twilio_sms: 'twilio', twilio_voice: 'twilio', twilio_whatsapp: 'twilio' };
const providerOf = (channel: string) => PROVIDER[channel] ?? channel;

beforeAll(async () => {
  herald = await startTestHerald();
  Object.assign(subscription, await (await fetch(local('web_push', '/subscriptions'), { method: 'POST' })).json());
  ingestKey = await herald.createApp('shop');
  herald.startDelivering();
});
afterAll(() => herald.stop());

describe('every provider can be chosen for a notifier', () => {
  it('covers every channel the issue names, 23 in all, in 7 families', () => {
    expect(CHANNEL_NAMES).toHaveLength(23);
    expect(FAMILY_NAMES).toEqual(['email', 'sms', 'slack', 'webhook', 'chat', 'push', 'incident']);
    for (const channel of Object.keys(targets())) expect(CHANNEL_NAMES).toContain(channel);
  });

  it('creates a notifier per provider, showing no secret back', async () => {
    for (const [channel, target] of Object.entries(targets())) {
      const res = await herald.call('POST', '/v1/apps/shop/notifiers', {
        key: herald.adminKey,
        body: { name: channel, channel, target, events: ['monitor.*'] },
      });
      expect(res.status, `${channel}: ${JSON.stringify(res.body)}`).toBe(201);
      const shown = JSON.stringify(res.body.notifier.target);
      for (const secret of [
        's3cr3t-token',
        'SIGNATURE',
        'TOKEN',
        'AgotifyT0kenXyz',
        'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
        'bbbbbbbbbbbbbbbb',
        'R0UT1NGKEYR0UT1NGKEY',
        '9a1c6f2e-4b7d',
        'shop-secret-topic',
        'abcdefghijklmnopqrstuvwxyz012345',
      ])
        expect(shown, channel).not.toContain(secret);
    }
  });

  it('delivers a failure to every provider, and its recovery closes the incidents', async () => {
    const before = Object.fromEntries(Object.keys(targets()).map((c) => [c, herald.standIns.delivered(providerOf(c)).length]));
    const down = await herald.call('POST', '/v1/events', {
      key: ingestKey,
      body: { type: 'monitor.down', title: 'shop.example.com is down', data: { target: 'https://shop.example.com' } },
    });
    expect(down.status).toBe(202);
    let last: any[] = [];
    const deliveries = await eventually(
      async () => {
        const { body } = await herald.call('GET', `/v1/apps/shop/events/${down.body.eventId}`, { key: herald.adminKey });
        const mine = (body.deliveries as any[]).filter((d) => d.channel !== 'email');
        last = mine;
        return mine.length === 19 && mine.every((d) => d.status === 'sent') && mine;
      },
      20_000,
      'every provider delivery sent',
    ).catch((err) => {
      throw new Error(
        `${err.message}: ${JSON.stringify(last.filter((d) => d.status !== 'sent').map((d) => [d.channel, d.status, d.reason, d.attempts.at(-1)?.error]))}`,
      );
    });
    expect(deliveries.map((d: any) => d.channel).sort()).toEqual(Object.keys(targets()).sort());
    const twilioBefore = before['twilio_sms'] as number;
    for (const channel of Object.keys(targets())) {
      const provider = providerOf(channel);
      const got = herald.standIns.delivered(provider).length - (provider === 'twilio' ? twilioBefore : (before[channel] as number));
      expect(got, channel).toBe(provider === 'twilio' ? 3 : 1);
    }
    // Recipients in the delivery log are masked like targets.
    expect(JSON.stringify(deliveries)).not.toContain('s3cr3t-token');
    expect(JSON.stringify(deliveries)).not.toContain('R0UT1NGKEYR0UT1NGKEY');

    const up = await herald.call('POST', '/v1/events', {
      key: ingestKey,
      body: { type: 'monitor.recovery', data: { target: 'https://shop.example.com' } },
    });
    await eventually(
      async () => {
        const { body } = await herald.call('GET', `/v1/apps/shop/events/${up.body.eventId}`, { key: herald.adminKey });
        return (body.deliveries as any[]).filter((d) => d.status === 'sent').length >= 19;
      },
      20_000,
      'recovery sent',
    );
    expect(herald.standIns.delivered('pagerduty').at(-1)).toMatchObject({ event_action: 'resolve', incident: 'resolved' });
    expect(herald.standIns.delivered('opsgenie').at(-1)).toMatchObject({ action: 'close' });
  });

  it('records an info event to an incident tool as suppressed, not an incident, and sends nothing', async () => {
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: {
        name: 'pd-deploys',
        channel: 'pagerduty',
        target: { routingKey: 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY99' },
        events: ['app_deployed'],
      },
    });
    expect(created.status).toBe(201);
    const before = herald.standIns.delivered('pagerduty').length;
    const posted = await herald.call('POST', '/v1/events', { key: ingestKey, body: { type: 'app_deployed' } });
    const delivery = await eventually(async () => {
      const { body } = await herald.call('GET', `/v1/apps/shop/events/${posted.body.eventId}`, { key: herald.adminKey });
      return (body.deliveries as any[]).find((d) => d.channel === 'pagerduty' && d.status !== 'queued');
    });
    expect(delivery).toMatchObject({ status: 'suppressed', reason: expect.stringContaining('not an incident'), attempts: [] });
    expect(herald.standIns.delivered('pagerduty')).toHaveLength(before);
  });

  it('counts every paid channel (SMS, calls, WhatsApp) against the daily SMS cap', async () => {
    const res = await herald.call('PATCH', '/v1/apps/shop', { key: herald.adminKey, body: { limits: { smsPerDay: 1 } } });
    expect(res.status).toBe(200);
    const posted = await herald.call('POST', '/v1/events', { key: ingestKey, body: { type: 'monitor.down', data: { target: 'db' } } });
    const { body } = await herald.call('GET', `/v1/apps/shop/events/${posted.body.eventId}`, { key: herald.adminKey });
    const paid = (body.deliveries as any[]).filter((d) => ['twilio_sms', 'twilio_voice', 'twilio_whatsapp', 'vonage'].includes(d.channel));
    expect(paid.filter((d) => d.status === 'suppressed')).toHaveLength(paid.length); // the cap was used up by the failure above
    await herald.call('PATCH', '/v1/apps/shop', { key: herald.adminKey, body: { limits: { smsPerDay: 100 } } });
  });

  it('lists the DLQs by family', async () => {
    const res = await herald.call('GET', '/v1/dlq', { key: herald.adminKey });
    expect(Object.keys(res.body.channels).sort()).toEqual([...FAMILY_NAMES].sort());
    expect((await herald.call('POST', '/v1/dlq/push/redrive', { key: herald.adminKey })).body).toEqual({ moved: 0 });
  });
});

describe('a recipient is checked when the notifier is saved', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['discord', { url: 'https://discord.com/api/not-a-webhook' }, 'target.url'],
    ['google_chat', { url: 'https://chat.googleapis.com/v1/spaces/AAAA/messages' }, 'target.url'],
    ['mattermost', { url: 'https://chat.example.com/hooks/short' }, 'target.url'],
    ['rocketchat', { url: 'https://chat.example.com/hooks/AbCdEfGhIjKlMnOpQ/tok', channel: 'ops' }, 'target.url'],
    ['telegram', { chatId: 'not a chat' }, 'target.chatId'],
    ['ntfy', { topic: 'has spaces' }, 'target.topic'],
    ['gotify', { serverUrl: 'https://push.example.com', appToken: 'short' }, 'target.appToken'],
    ['pushover', { userKey: 'abc' }, 'target.userKey'],
    [
      'pushover',
      { userKey: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG', emergency: { retrySeconds: 5, expireSeconds: 60 } },
      'target.emergency.retrySeconds',
    ],
    ['onesignal', { externalIds: [] }, 'target.externalIds'],
    ['pusher_beams', { users: ['x'.repeat(200)] }, 'target.users.0'],
    ['pushbullet', { accessToken: 'nope' }, 'target.accessToken'],
    [
      'web_push',
      { subscriptions: [{ endpoint: 'https://push.example.com/x', keys: { p256dh: 'short', auth: 'short' } }] },
      'target.subscriptions.0.keys.p256dh',
    ],
    ['pagerduty', { routingKey: 'abc' }, 'target.routingKey'],
    ['opsgenie', { apiKey: '9a1c6f2e-4b7d-4c1a-9e8f-0123456789ab', region: 'mars' }, 'target.region'],
    ['twilio_sms', { to: ['0151 1234'] }, 'target.to.0'],
    ['vonage', { to: ['+1555'] }, 'target.to.0'],
    ['teams', { url: 'ftp://teams.example.com/hook' }, 'target.url'],
  ];
  it.each(cases)('%s refuses %j at %s', async (channel, target, path) => {
    const res = await herald.call('POST', '/v1/apps/shop/notifiers', { key: herald.adminKey, body: { name: 'bad', channel, target } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
  });
});

describe('installation-wide provider settings', () => {
  it('refuses a notifier of a provider this installation has not set up, naming what to set', async () => {
    const bare = await startTestHerald({ emulators: herald.emulators, providers: {} });
    try {
      await bare.createApp('bare');
      const res = await bare.call('POST', '/v1/apps/bare/notifiers', {
        key: bare.adminKey,
        body: { name: 't', channel: 'telegram', target: { chatId: '42' } },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        { path: 'channel', message: 'set "telegram" in the provider settings (README, "Channels")' },
      ]);
      // Channels whose recipient carries its own credentials need no installation settings.
      const ntfy = await bare.call('POST', '/v1/apps/bare/notifiers', {
        key: bare.adminKey,
        body: { name: 'n', channel: 'ntfy', target: { topic: 'x' } },
      });
      expect(ntfy.status).toBe(201);
    } finally {
      await bare.stop();
    }
  });

  it("refuses a Twilio call when the account's number is not set, naming it", async () => {
    const twilio = { accountSid: `AC${'1'.repeat(32)}`, authToken: 'token' };
    const noSender = await startTestHerald({ emulators: herald.emulators, providers: { twilio } });
    try {
      await noSender.createApp('bare');
      const call = await noSender.call('POST', '/v1/apps/bare/notifiers', {
        key: noSender.adminKey,
        body: { name: 'c', channel: 'twilio_voice', target: { to: ['+4915112345678'] } },
      });
      expect(call.status).toBe(400);
      expect(call.body.error.details).toEqual([
        { path: 'channel', message: 'set "twilio.from" in the provider settings (README, "Channels")' },
      ]);
    } finally {
      await noSender.stop();
    }
  });
});
