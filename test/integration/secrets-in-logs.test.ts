import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../shared/telemetry.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { captureLogLines } from '../support/log-lines.js';

/**
 * A whole run, its log lines and its API answers searched for the secrets a notifier holds:
 * a webhook secret, a custom header's value, the token part of a Slack URL, a provider's
 * token in an API path (Telegram's bot), a routing key, a user's access token.
 */
const SECRET = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==';
const HEADER_VALUE = 'Bearer header-token-4711';
const SLACK_TOKEN = 'xoxb-slack-token-0815';
const ROUTING_KEY = 'R0UT1NGKEYsecretsecretsecret4711';
const ACCESS_TOKEN = `o.${'S3cr3t'.repeat(5)}xy`;

let herald: TestHerald;
let receiver: Receiver;
let capture: ReturnType<typeof captureLogLines>;
const seen: string[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald({ retrySchedule: [1] });
  capture = captureLogLines();
  logger.setLogLevel('TRACE'); // every line Herald writes
  herald.startDelivering();
});
afterAll(async () => {
  logger.setLogLevel('ERROR');
  capture.restore();
  await herald.stop();
  await receiver.close();
});

const call = async (...args: Parameters<TestHerald['call']>) => {
  const res = await herald.call(...args);
  seen.push(JSON.stringify(res.body ?? ''));
  return res;
};

describe('secrets', () => {
  it('never appear in a log line or an API answer', async () => {
    receiver.respond((r) => ({ status: r.path.includes('fail') ? 500 : 200 }));
    const app = await call('POST', '/v1/apps', {
      key: herald.adminKey,
      body: { id: 'shop', name: 'Shop', owner: { email: 'o@shop.example' } },
    });
    const key = app.body.apiKey;
    const hook = await call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: {
        name: 'hook',
        channel: 'webhook',
        target: { url: `${receiver.url}/hook-fail`, secret: SECRET, headers: { Authorization: HEADER_VALUE } },
        events: ['x'],
      },
    });
    const slack = await call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'slack', channel: 'slack', target: { url: `${receiver.url}/services/T1/fail/${SLACK_TOKEN}` }, events: ['x'] },
    });
    const others = [
      { name: 'telegram', channel: 'telegram', target: { chatId: '42' }, events: ['x'] },
      { name: 'pagerduty', channel: 'pagerduty', target: { routingKey: ROUTING_KEY }, events: ['x'] },
      { name: 'pushbullet', channel: 'pushbullet', target: { accessToken: ACCESS_TOKEN }, events: ['x'] },
    ];
    for (const body of others) expect((await call('POST', '/v1/apps/shop/notifiers', { key: herald.adminKey, body })).status).toBe(201);
    for (const provider of ['telegram', 'pagerduty', 'pushbullet'])
      herald.standIns.failNext(provider, { status: 502, json: { ok: false, description: 'Bad Gateway' } }, 2);
    const posted = await call('POST', '/v1/events', { key, body: { type: 'x', title: 'hello', severity: 'warning' } });
    await eventually(
      async () => {
        const { body } = await herald.call('GET', `/v1/apps/shop/events/${posted.body.eventId}`, { key: herald.adminKey });
        return body.deliveries.length === 5 && body.deliveries.every((d: any) => d.status === 'dead');
      },
      15_000,
      'five dead deliveries',
    );
    for (const path of [
      `/v1/apps/shop/notifiers`,
      `/v1/apps/shop/notifiers/${hook.body.notifier.id}`,
      `/v1/apps/shop/notifiers/${slack.body.notifier.id}`,
      `/v1/apps/shop/events/${posted.body.eventId}`,
      `/v1/apps/shop/deliveries?limit=100`,
      `/v1/dlq`,
    ]) {
      await call('GET', path, { key: herald.adminKey });
    }
    await call('PATCH', `/v1/apps/shop/notifiers/${hook.body.notifier.id}`, { key: herald.adminKey, body: { name: 'renamed' } });
    await call('POST', '/v1/preview', {
      key: herald.adminKey,
      body: { appId: 'shop', notifierId: hook.body.notifier.id, event: { type: 'x' } },
    });

    const everything = [...seen, ...capture.lines].join('\n');
    expect(everything).toContain('delivery attempt'); // the log was captured
    expect(everything).toContain('HTTP 500');
    expect(everything).toContain('Telegram sendMessage: HTTP 502');
    const botToken = herald.standIns.settings.telegram?.botToken as string;
    for (const secret of [SECRET, SECRET.slice(6), HEADER_VALUE, SLACK_TOKEN, botToken, botToken.split(':')[1], ROUTING_KEY, ACCESS_TOKEN])
      expect(everything).not.toContain(secret);
  });
});
