import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually } from '../support/receiver.js';

/**
 * Grouping and digests in local mode, as `npm start` runs them (its own timer queue and
 * consumer, the stand-ins' outbox): forty failures of a group are one notification, their
 * recovery one more at once; twelve events of a digest's window one message.
 */

let home: string;
let herald: LocalHerald;
let key: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'herald-grouping-'));
  herald = await startLocalHerald(join(home, '.herald'));
  const created = await herald.call('POST', '/v1/apps', herald.adminKey, { id: 'shop', name: 'Shop', owner: { email: 'o@shop.example' } });
  key = created.body.apiKey;
  const hook = (path: string, extra: object) => ({
    name: path,
    channel: 'webhook',
    target: { url: `${herald.url}/_local/webhook/${path}` },
    throttle: false,
    ...extra,
  });
  for (const notifier of [
    hook('grouped', { events: ['check.*'], grouping: { by: ['data.cluster'], waitSeconds: 5, intervalSeconds: 60 } }),
    hook('digest', { events: ['app_*'], digest: { windowSeconds: 3 } }),
  ]) {
    expect((await herald.call('POST', '/v1/apps/shop/notifiers', herald.adminKey, notifier)).status).toBe(201);
  }
});
afterAll(async () => {
  await herald?.stop();
  rmSync(home, { recursive: true, force: true });
});

const outbox = async (path: string) =>
  ((await herald.call('GET', '/_local/outbox/webhook')).body.messages as any[]).filter((m) => m.path === `/${path}`).map((m) => m.body);
const post = (bodies: object[]) => Promise.all(bodies.map((body) => herald.call('POST', '/v1/events', key, body)));
const check = (n: number, status: string) => ({
  type: 'check.status',
  title: `svc-${n} ${status}`,
  data: { check: `svc-${n}`, status, cluster: 'eu-1' },
});

describe('local mode', () => {
  it('tells 40 failures of a group in one notification, and their recovery in one more, at once', async () => {
    await post(Array.from({ length: 40 }, (_, n) => check(n, 'ERROR')));
    const [first] = await eventually(async () => (await outbox('grouped')).length > 0 && outbox('grouped'), 20_000);
    expect(first).toMatchObject({ event_type: 'group', group: { count: 40, firingCount: 40 } });
    expect(first.links).toBeUndefined();

    const started = Date.now();
    await post(Array.from({ length: 40 }, (_, n) => check(n, 'OK')));
    const resolved = await eventually(async () => (await outbox('grouped'))[1], 20_000);
    expect(resolved.group).toMatchObject({ count: 40, firingCount: 0 });
    expect(Date.now() - started).toBeLessThan(20_000); // not the interval's 60 s
    expect(await outbox('grouped')).toHaveLength(2);
  });

  it('tells the 12 events of a digest window in one message', async () => {
    await post(Array.from({ length: 12 }, (_, n) => ({ type: 'app_deployed', title: `Deployed v${n}` })));
    const [digest] = await eventually(async () => (await outbox('digest')).length > 0 && outbox('digest'), 20_000);
    expect(digest).toMatchObject({ event_type: 'digest', group: { count: 12, types: { app_deployed: 12 } } });
    expect(digest.title).toMatch(/^12 events in Shop since \d\d:\d\d: 12 app_deployed$/);
  });
});
