import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually } from '../support/receiver.js';

/**
 * What `npm start` prints while it works, as a user sees it: readable lines on a terminal,
 * JSON lines into a pipe or a file, at the default level (no POWERTOOLS_LOG_LEVEL, no
 * HERALD_LOG_LEVEL) one line per accepted event and attempt on a terminal (text is at debug),
 * one per failed attempt into a pipe (JSON is at info, as on Lambda).
 */

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'herald-logs-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const DEFAULT_LEVEL = { POWERTOOLS_LOG_LEVEL: '' };

/** An app (its welcome mail is one delivery) and a webhook notifier; one deploy event; everything sent. */
async function deployOnce(herald: LocalHerald): Promise<{ eventId: string; sent: any[] }> {
  const app = await herald.call('POST', '/v1/apps', herald.adminKey, { id: 'shop', name: 'Shop', owner: { email: 'owner@shop.example' } });
  await herald.call('POST', '/v1/apps/shop/notifiers', herald.adminKey, {
    name: 'Hook',
    channel: 'webhook',
    target: { url: `${herald.url}/_local/webhook/deploys` },
    events: ['app_deployed'],
  });
  const posted = await herald.call('POST', '/v1/events', app.body.apiKey, { type: 'app_deployed', title: 'Deployed v42' });
  await eventually(
    async () =>
      (await herald.call('GET', `/v1/apps/shop/events/${posted.body.eventId}`, herald.adminKey)).body.deliveries[0]?.status === 'sent',
    20_000,
    'the webhook delivery sent',
  );
  const sent = await eventually(
    async () => {
      const { deliveries } = (await herald.call('GET', '/v1/apps/shop/deliveries?status=sent', herald.adminKey)).body;
      return deliveries.length >= 2 && deliveries; // the welcome mail, and the webhook
    },
    20_000,
    'the welcome mail sent',
  );
  return { eventId: posted.body.eventId, sent };
}

/** What it printed after its banner. */
const afterBanner = (herald: LocalHerald) => herald.output().split('Ctrl-C stops it.')[1]?.split('\n').filter(Boolean) ?? [];

describe('npm start prints', () => {
  it('on a terminal: one readable line per accepted event and per delivery attempt', async () => {
    const herald = await startLocalHerald(dataDir, DEFAULT_LEVEL, { tty: true });
    try {
      const { eventId } = await deployOnce(herald);
      const lines = await eventually(async () => {
        const l = afterBanner(herald);
        return l.some((x) => / sent webhook /.test(x)) && l.some((x) => / sent email /.test(x)) && l;
      }, 10_000);
      const url = herald.url.replace(/[.]/g, '\\.');
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^\\d\\d:\\d\\d:\\d\\d accepted shop/app_deployed ${eventId} 1 delivery$`)),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^\\d\\d:\\d\\d:\\d\\d sent webhook shop/app_deployed → ${url}/_local/\\S*\\*{4}\\S* 200 \\d+ ms$`),
        ),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(/^\d\d:\d\d:\d\d sent email shop\/app_created → owner@shop\.example (\d{3} )?\d+ ms$/),
      );
      expect(lines.filter((l) => l.startsWith('{'))).toEqual([]); // no JSON
    } finally {
      expect(await herald.stop()).toBe(0);
    }
  }, 60_000);

  it('into a pipe: JSON, a line per failed attempt and nothing else at the default level; at debug, a line per sent attempt', async () => {
    const herald = await startLocalHerald(dataDir, DEFAULT_LEVEL);
    try {
      // A notifier whose receiver is down: its attempts fail, and each says so.
      const down = await herald.call('POST', '/v1/apps', herald.adminKey, {
        id: 'down',
        name: 'Down',
        owner: { email: 'owner@down.example' },
      });
      const hook = await herald.call('POST', '/v1/apps/down/notifiers', herald.adminKey, {
        name: 'Gone',
        channel: 'webhook',
        target: { url: 'http://127.0.0.1:9/gone' },
        events: ['app_deployed'],
      });
      const failing = await herald.call('POST', '/v1/events', down.body.apiKey, { type: 'app_deployed', title: 'Deployed v1' });
      const { sent } = await deployOnce(herald);
      const records = await eventually(async () => {
        const r = afterBanner(herald)
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l));
        return r.some((x) => x.message === 'delivery attempt' && x.eventId === failing.body.eventId) && r;
      }, 10_000);
      expect(records.find((r: any) => r.message === 'delivery attempt')).toMatchObject({
        level: 'WARN',
        appId: 'down',
        notifierId: hook.body.notifier.id,
        eventType: 'app_deployed',
        outcome: 'retrying',
        recipient: expect.stringContaining('****'),
        error: expect.any(String),
      });
      // The sent ones (the welcome mails, shop's webhook) are in the delivery log, not here.
      expect(sent.length).toBeGreaterThanOrEqual(2);
      expect(records.filter((r: any) => r.outcome === 'sent')).toEqual([]);
      expect(records.filter((r: any) => r.level === 'INFO' || r.level === 'DEBUG')).toEqual([]);
      expect(afterBanner(herald).filter((l) => /^\d\d:\d\d:\d\d /.test(l))).toEqual([]); // no readable lines
    } finally {
      expect(await herald.stop()).toBe(0);
    }

    const verbose = await startLocalHerald(dataDir, { HERALD_LOG_LEVEL: 'debug' });
    try {
      // A new app: its welcome mail is sent.
      await verbose.call('POST', '/v1/apps', verbose.adminKey, { id: 'later', name: 'Later', owner: { email: 'owner@later.example' } });
      const attempt = await eventually(
        async () =>
          afterBanner(verbose)
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l))
            .find((r) => r.message === 'delivery attempt' && r.appId === 'later'),
        10_000,
        'the sent attempt logged at debug',
      );
      expect(attempt).toMatchObject({ level: 'DEBUG', channel: 'email', eventType: 'app_created', outcome: 'sent' });
    } finally {
      expect(await verbose.stop()).toBe(0);
    }
  }, 90_000);
});
