import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually } from '../support/receiver.js';

/**
 * What `npm start` prints while it works, as a user sees it: readable lines on a terminal,
 * JSON lines into a pipe or a file, at the default level (no POWERTOOLS_LOG_LEVEL, no
 * HERALD_LOG_LEVEL) one line per accepted event and attempt, or per attempt.
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

  it('into a pipe: JSON, one line per delivery attempt and nothing else at the default level', async () => {
    const herald = await startLocalHerald(dataDir, DEFAULT_LEVEL);
    try {
      const { sent } = await deployOnce(herald);
      const records = await eventually(async () => {
        const r = afterBanner(herald)
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l));
        return r.filter((x) => x.message === 'delivery attempt').length >= sent.length && r;
      }, 10_000);
      const attempts = records.filter((r: any) => r.message === 'delivery attempt');
      expect(attempts.map((r: any) => r.deliveryId).sort()).toEqual(sent.map((d: any) => d.id).sort());
      expect(attempts.find((r: any) => r.channel === 'webhook')).toMatchObject({
        level: 'INFO',
        appId: 'shop',
        eventType: 'app_deployed',
        outcome: 'sent',
        statusCode: 200,
        recipient: expect.stringContaining('****'),
      });
      expect(records.filter((r: any) => r.level === 'INFO' && r.message !== 'delivery attempt')).toEqual([]);
      expect(afterBanner(herald).filter((l) => /^\d\d:\d\d:\d\d /.test(l))).toEqual([]); // no readable lines
    } finally {
      expect(await herald.stop()).toBe(0);
    }
  }, 60_000);
});
