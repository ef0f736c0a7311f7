import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually, signatureVerifies, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * Local mode as a user runs it: `npm start`'s command in a child process, driven over HTTP
 * from creating an app to all four channels receiving, then stopped with Ctrl-C (SIGINT)
 * and started again on the same data.
 */

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let dataDir: string;
let receiver: Receiver;

/** A port nothing listens on now. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const startHerald = () => startLocalHerald(dataDir, { HERALD_RETRY_SCHEDULE: '1,1,1,1,1,1,1' });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'herald-e2e-'));
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start (local mode)', () => {
  it('serves the whole flow, stops on Ctrl-C and starts again with its data', async () => {
    const herald = await startHerald();
    let appId = '';
    let pending = { eventId: '' };
    try {
      expect(herald.adminKey).toMatch(/^hrd_admin_/);
      expect(herald.output()).toContain('/_local/outbox/email');
      expect((await herald.call('GET', '/health')).body).toEqual({ status: 'ok' });
      // The console, at the link the banner prints: its page and the files it names, under a CSP.
      expect(herald.output()).toContain(`Console         ${herald.url}/console/   (sign in with the admin key)`);
      const page = await fetch(`${herald.url}/console/`);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const script = /src="(app-\w+\.js)"/.exec(await page.text())?.[1];
      expect((await fetch(`${herald.url}/console/${script}`)).headers.get('content-type')).toContain('javascript');

      appId = 'shop';
      const app = await herald.call('POST', '/v1/apps', herald.adminKey, {
        id: appId,
        name: 'Shop',
        owner: { email: 'owner@shop.example' },
      });
      expect(app.status).toBe(201);
      const notifiers = [
        { name: 'Mail', channel: 'email', target: { to: ['ops@shop.example'] }, events: ['app_deployed'] },
        { name: 'SMS', channel: 'sms', target: { to: ['+14155550123'] }, events: ['app_*'], minSeverity: 'info' },
        { name: 'Slack', channel: 'slack', target: { url: `${receiver.url}/services/T/B/x` }, events: ['@deployment'] },
        { name: 'Hook', channel: 'webhook', target: { url: `${receiver.url}/hook`, secret: SECRET }, events: ['app_deployed'] },
      ];
      for (const n of notifiers) expect((await herald.call('POST', `/v1/apps/${appId}/notifiers`, herald.adminKey, n)).status).toBe(201);

      const posted = await herald.call('POST', '/v1/events', app.body.apiKey, {
        type: 'app_deployed',
        title: 'Deployed v42',
        message: 'ok',
      });
      expect(posted).toMatchObject({ status: 202, body: { deliveries: 4, duplicate: false } });

      const deliveries = await eventually(
        async () => {
          const e = await herald.call('GET', `/v1/apps/${appId}/events/${posted.body.eventId}`, herald.adminKey);
          return e.body.deliveries.length === 4 && e.body.deliveries.every((d: any) => d.status === 'sent') && e.body.deliveries;
        },
        20_000,
        'four sent deliveries',
      );
      expect(deliveries.map((d: any) => d.channel).sort()).toEqual(['email', 'slack', 'sms', 'webhook']);

      const hook = receiver.requests.find((r) => r.path === '/hook');
      expect(signatureVerifies(SECRET, hook)).toBe(true);
      expect(receiver.requests.some((r) => r.path === '/services/T/B/x' && JSON.parse(r.body).blocks)).toBe(true);
      const mail = (await herald.call('GET', '/_local/outbox/email')).body.emails;
      expect(mail.some((m: any) => m.destination.to.includes('ops@shop.example') && m.subject.includes('Deployed v42'))).toBe(true);
      expect(mail.some((m: any) => m.destination.to.includes('owner@shop.example'))).toBe(true); // the welcome
      const sms = (await herald.call('GET', '/_local/outbox/sms')).body.messages;
      expect(sms.some((m: any) => m.phoneNumber === '+14155550123' && m.message.includes('Deployed v42'))).toBe(true);

      // A heartbeat, and a notifier test answered with its first attempt.
      expect((await herald.call('POST', '/v1/heartbeats', app.body.apiKey, { server: 'web-1' })).status).toBe(204);
      const { notifiers: all } = (await herald.call('GET', `/v1/apps/${appId}/notifiers?limit=100`, herald.adminKey)).body;
      const hookId = all.find((n: any) => n.name === 'Hook').id;
      const tested = await herald.call('POST', `/v1/apps/${appId}/notifiers/${hookId}/test`, herald.adminKey);
      expect(tested.body.delivery).toMatchObject({ status: 'sent', attempts: [expect.objectContaining({ statusCode: 200 })] });

      // A receiver that is down leaves a delivery waiting when Herald stops.
      receiver.respond((r) => ({ status: r.path === '/later' ? 503 : 200 }));
      await herald.call('POST', `/v1/apps/${appId}/notifiers`, herald.adminKey, {
        name: 'Later',
        channel: 'webhook',
        target: { url: `${receiver.url}/later` },
        events: ['x.later'],
      });
      const later = await herald.call('POST', '/v1/events', app.body.apiKey, { type: 'x.later' });
      pending = { eventId: later.body.eventId };
      await eventually(
        async () => {
          const e = await herald.call('GET', `/v1/apps/${appId}/events/${later.body.eventId}`, herald.adminKey);
          return e.body.deliveries[0]?.status === 'retrying';
        },
        10_000,
        'a retrying delivery',
      );
    } finally {
      expect(await herald.stop()).toBe(0);
    }
    expect(herald.output()).toContain('Stopped.');

    receiver.respond(() => ({ status: 200 })); // the receiver is back
    // The installation's template overrides, from the data dir.
    writeFileSync(join(dataDir, 'templates.json'), JSON.stringify({ 'chat.text': 'From the file: {{ app.name }}' }));
    const again = await startHerald();
    try {
      expect(again.adminKey).toBe(herald.adminKey);
      const apps = await again.call('GET', '/v1/apps', again.adminKey);
      expect(apps.body.apps.map((a: any) => a.id)).toEqual([appId]);
      const notifiers = await again.call('GET', `/v1/apps/${appId}/notifiers`, again.adminKey);
      expect(notifiers.body.notifiers).toHaveLength(6); // five and the default

      const preview = await again.call('POST', '/v1/preview', again.adminKey, { appId, event: { type: 'app_deployed' } });
      expect(preview.body.parts.chat.text).toBe('From the file: Shop');

      // The waiting delivery was put back on its queue at start, and goes out now.
      expect(again.output()).toMatch(/Requeued\s+1 waiting/);
      const sent = await eventually(
        async () => {
          const e = await again.call('GET', `/v1/apps/${appId}/events/${pending.eventId}`, again.adminKey);
          return e.body.deliveries[0]?.status === 'sent' && e.body.deliveries[0];
        },
        15_000,
        'the requeued delivery sent',
      );
      expect(sent.attempts.map((a: any) => a.outcome)).toEqual(['retrying', 'sent']);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 90_000);

  it('delivers every other channel to its local stand-in, or to the account named in providers.json', async () => {
    const own = mkdtempSync(join(tmpdir(), 'herald-e2e-providers-'));
    // A "real" Telegram bot (here the receiver) named in the data dir; every other provider stays at its stand-in.
    writeFileSync(join(own, 'providers.json'), JSON.stringify({ telegram: { botToken: '42:own-bot', apiUrl: `${receiver.url}/tg` } }));
    const herald = await startLocalHerald(own, {});
    try {
      expect(herald.output()).toMatch(/Real providers\s+telegram/);
      const app = await herald.call('POST', '/v1/apps', herald.adminKey, { id: 'ops', name: 'Ops', owner: { email: 'o@ops.example' } });
      const notifiers = [
        { name: 'Discord', channel: 'discord', target: { url: `${herald.url}/_local/discord/api/webhooks/1/local` } },
        { name: 'Pager', channel: 'pagerduty', target: { routingKey: 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12' } },
        { name: 'Call', channel: 'twilio_voice', target: { to: ['+14155550123'] } },
        { name: 'Telegram', channel: 'telegram', target: { chatId: '-100123' } },
      ];
      for (const n of notifiers)
        expect((await herald.call('POST', '/v1/apps/ops/notifiers', herald.adminKey, { ...n, events: ['monitor.*'] })).status).toBe(201);
      const posted = await herald.call('POST', '/v1/events', app.body.apiKey, { type: 'monitor.down', data: { target: 'db-1' } });
      await eventually(
        async () => {
          const e = await herald.call('GET', `/v1/apps/ops/events/${posted.body.eventId}`, herald.adminKey);
          return e.body.deliveries.filter((d: any) => d.status === 'sent').length === 5; // and the default email
        },
        20_000,
        'five sent deliveries',
      );
      expect((await herald.call('GET', '/_local/outbox/discord')).body.messages).toHaveLength(1);
      expect((await herald.call('GET', '/_local/outbox/pagerduty')).body.messages[0]).toMatchObject({ event_action: 'trigger' });
      expect((await herald.call('GET', '/_local/outbox/twilio')).body.messages[0]).toMatchObject({ kind: 'call', to: '+14155550123' });
      expect((await herald.call('GET', '/_local/outbox/telegram')).body.messages).toEqual([]);
      const telegram = receiver.requests.find((r) => r.path === '/tg/bot42:own-bot/sendMessage');
      expect(JSON.parse(telegram?.body ?? '{}')).toMatchObject({ chat_id: '-100123', parse_mode: 'HTML' });
    } finally {
      expect(await herald.stop()).toBe(0);
      rmSync(own, { recursive: true, force: true });
    }
  }, 60_000);

  it('keeps every outbox, the mail viewer and saved Web Push subscriptions across a restart', async () => {
    const own = mkdtempSync(join(tmpdir(), 'herald-e2e-restart-'));
    const port = String(await freePort()); // a user's PORT stays the same from one start to the next
    const start = () => startLocalHerald(own, { PORT: port });
    const sent = async (herald: LocalHerald, eventId: string, count: number) =>
      eventually(
        async () => {
          const e = await herald.call('GET', `/v1/apps/shop/events/${eventId}`, herald.adminKey);
          return e.body.deliveries.length === count && e.body.deliveries.every((d: any) => d.status === 'sent') && e.body.deliveries;
        },
        20_000,
        `${count} sent deliveries`,
      );
    const outbox = async (herald: LocalHerald, name: string) => (await herald.call('GET', `/_local/outbox/${name}`)).body;

    let herald = await start();
    try {
      expect(herald.output()).toContain(`Mail sent       ${herald.url}/_local/outbox/email   (mail viewer: ${herald.url}/_local/mail/)`);
      const app = await herald.call('POST', '/v1/apps', herald.adminKey, {
        id: 'shop',
        name: 'Shop',
        owner: { email: 'owner@shop.example' },
      });
      const subscription = await fetch(`${herald.url}/_local/web_push/subscriptions`, { method: 'POST' }).then((r) => r.json());
      const notifiers = [
        { name: 'SMS', channel: 'sms', target: { to: ['+14155550123'] } },
        { name: 'Slack', channel: 'slack', target: { url: `${herald.url}/_local/slack/services/T000/B000/XXXX` } },
        { name: 'Hook', channel: 'webhook', target: { url: `${herald.url}/_local/webhook/restart` } },
        { name: 'Browser', channel: 'web_push', target: { subscriptions: [subscription] } },
      ];
      for (const n of notifiers)
        expect((await herald.call('POST', '/v1/apps/shop/notifiers', herald.adminKey, { ...n, events: ['app_deployed'] })).status).toBe(
          201,
        );
      const before = await herald.call('POST', '/v1/events', app.body.apiKey, { type: 'app_deployed', title: 'Before the restart' });
      await sent(herald, before.body.eventId, 4);
      await eventually(async () => (await outbox(herald, 'email')).emails.length > 0, 10_000, 'the welcome mail');
    } finally {
      expect(await herald.stop()).toBe(0);
    }

    herald = await start();
    try {
      // What was sent before the restart is still in every outbox, and in the mail viewer, at the same address.
      expect((await outbox(herald, 'email')).emails.map((m: any) => m.destination.to)).toContainEqual(['owner@shop.example']);
      expect((await outbox(herald, 'sms')).messages.at(-1)).toMatchObject({
        phoneNumber: '+14155550123',
        message: expect.stringContaining('Before the restart'),
      });
      expect((await outbox(herald, 'slack')).messages.at(-1).text).toContain('Before the restart');
      expect((await outbox(herald, 'webhook')).messages.at(-1)).toMatchObject({ path: '/restart', body: { title: 'Before the restart' } });
      expect((await outbox(herald, 'web_push')).messages.at(-1).payload.title).toContain('Before the restart');
      const viewer = await fetch(`${herald.url}/_local/mail/`);
      expect(viewer.status).toBe(200);
      expect(await viewer.text()).toContain('fetch(`store?since=');
      const store = (await fetch(`${herald.url}/_local/mail/store`).then((r) => r.json())) as any;
      expect(store.emails.map((m: any) => m.destination.to)).toContainEqual(['owner@shop.example']);

      // The subscription saved before the restart still receives.
      const app = await herald.call('POST', '/v1/apps/shop/keys', herald.adminKey);
      const after = await herald.call('POST', '/v1/events', app.body.apiKey, { type: 'app_deployed', title: 'After the restart' });
      await sent(herald, after.body.eventId, 4);
      expect((await outbox(herald, 'web_push')).messages.at(-1).payload.title).toContain('After the restart');
    } finally {
      expect(await herald.stop()).toBe(0);
      rmSync(own, { recursive: true, force: true });
    }
  }, 90_000);
});
