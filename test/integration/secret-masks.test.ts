import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/core/types.js';
import { logger } from '../../shared/telemetry.js';
import { hidesSecret, TARGETS_WITH_SECRETS } from '../support/channel-targets.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { captureLogLines } from '../support/log-lines.js';
import { eventually, signatureVerifies, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * Secrets in notifier targets as a user meets them: masked wherever they are shown (GET,
 * lists, the delivery log, log lines), whatever the shape of the URL that holds them; and a
 * target sent back as GET showed it (GET, then PATCH with it) keeps sending to the real one.
 */
const TOKEN = 'Tok3nTok3nTok3nTok3n';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const HEADER = 'Bearer hdrT0kenT0kenT0ken';

let herald: TestHerald;
let receiver: Receiver;
let key: string;
const admin = () => ({ key: herald.adminKey });

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald({ retrySchedule: [1] });
  key = await herald.createApp('shop');
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const create = async (body: object) => {
  const res = await herald.call('POST', '/v1/apps/shop/notifiers', { ...admin(), body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.notifier.id as string;
};
const requestsTo = (path: string) => receiver.requests.filter((r) => r.path === path);

describe('a URL that holds a token', () => {
  it.each([
    ['a Slack URL ending in /', 'slack', `/services/T000/B000/${TOKEN}/`],
    ['a URL whose only segment is the token', 'webhook', `/${TOKEN}`],
    ['a token before a fixed segment', 'webhook', `/hooks/${TOKEN}/receive`],
    ["Zapier's catch hook", 'webhook', `/hooks/catch/123/${TOKEN}/`],
  ])('%s: masked in GET, lists, the delivery log and log lines', async (_what, channel, path) => {
    const type = `mask.${channel}.${path.length}`;
    receiver.respond((r) => ({ status: r.path === path && requestsTo(path).length === 1 ? 500 : 200 }));
    const capture = captureLogLines();
    logger.setLogLevel('DEBUG');
    try {
      const id = await create({ name: 'Hook', channel, target: { url: `${receiver.url}${path}` }, events: [type] });
      const posted = await herald.call('POST', '/v1/events', { key, body: { type } });
      // The first attempt fails (its error names the URL), the second is sent: both are in the log.
      await eventually(async () => requestsTo(path).length >= 2, 15_000, `two attempts at ${path}`);
      const shown = await Promise.all(
        [`/v1/apps/shop/notifiers/${id}`, '/v1/apps/shop/notifiers?limit=100', `/v1/apps/shop/events/${posted.body.eventId}`].map(
          async (p) => JSON.stringify((await herald.call('GET', p, admin())).body),
        ),
      );
      expect(shown[0]).toContain('127.0.0.1');
      expect(shown[2]).toContain('HTTP 500');
      expect(shown.every((s) => hidesSecret(s, TOKEN))).toBe(true);
      expect(capture.lines.join('\n')).toContain('HTTP 500'); // the failed attempt was logged, with its URL
      expect(hidesSecret(capture.lines.join('\n'), TOKEN)).toBe(true);
    } finally {
      logger.setLogLevel('ERROR');
      capture.restore();
      receiver.respond(() => ({ status: 200 }));
    }
  });
});

describe('a target sent back as GET showed it', () => {
  it('Slack: GET then PATCH with its target, and the next event still arrives at the real URL', async () => {
    const path = `/services/T000/B000/${TOKEN}`;
    const id = await create({ name: 'Slack', channel: 'slack', target: { url: `${receiver.url}${path}` }, events: ['trip.slack'] });
    const got = await herald.call('GET', `/v1/apps/shop/notifiers/${id}`, admin());
    const patched = await herald.call('PATCH', `/v1/apps/shop/notifiers/${id}`, { ...admin(), body: { target: got.body.notifier.target } });
    expect(patched.status).toBe(200);
    await herald.call('POST', '/v1/events', { key, body: { type: 'trip.slack' } });
    await eventually(async () => requestsTo(path).length === 1, 10_000, `a request at ${path}`);
  });

  it('webhook: the URL, the signing secret and the header value are kept', async () => {
    const path = `/hooks/${TOKEN}/trip`;
    const target = { url: `${receiver.url}${path}`, secret: SECRET, headers: { Authorization: HEADER } };
    const id = await create({ name: 'Hook', channel: 'webhook', target, events: ['trip.webhook'] });
    const got = await herald.call('GET', `/v1/apps/shop/notifiers/${id}`, admin());
    const body = { name: 'Hook 2', target: got.body.notifier.target };
    expect((await herald.call('PATCH', `/v1/apps/shop/notifiers/${id}`, { ...admin(), body })).status).toBe(200);
    await herald.call('POST', '/v1/events', { key, body: { type: 'trip.webhook' } });
    const [request] = await eventually(
      async () => (requestsTo(path).length ? requestsTo(path) : undefined),
      10_000,
      `a request at ${path}`,
    );
    expect(request?.headers['authorization']).toBe(HEADER);
    expect(signatureVerifies(SECRET, request)).toBe(true);
  });

  it.each(CHANNEL_NAMES.filter((c) => TARGETS_WITH_SECRETS[c].secrets.length > 0))('%s: every secret field is kept', async (channel) => {
    const { target } = TARGETS_WITH_SECRETS[channel];
    const id = await create({ name: channel, channel, target, events: ['never.sent'] });
    const got = await herald.call('GET', `/v1/apps/shop/notifiers/${id}`, admin());
    const patched = await herald.call('PATCH', `/v1/apps/shop/notifiers/${id}`, { ...admin(), body: { target: got.body.notifier.target } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await herald.deps.notifiers.get('shop', id))?.target).toEqual(target);
  });

  it('a masked value that stands for no current one is refused, naming the field, and nothing changes', async () => {
    const url = `${receiver.url}/services/T000/B000/${TOKEN}`;
    const id = await create({ name: 'Slack', channel: 'slack', target: { url }, events: ['never.sent'] });
    const other = { url: 'https://hooks.slack.com/services/T****/B****/X****' };
    const patched = await herald.call('PATCH', `/v1/apps/shop/notifiers/${id}`, { ...admin(), body: { target: other } });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details[0]).toMatchObject({ path: 'target.url', message: expect.stringContaining('masked') });
    expect((await herald.deps.notifiers.get('shop', id))?.target).toEqual({ url });
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      ...admin(),
      body: { name: 'Copy', channel: 'slack', target: other },
    });
    expect(created.status).toBe(400);
    expect(created.body.error.details[0].path).toBe('target.url');
  });
});
