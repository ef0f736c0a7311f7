import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * 1000 events × 3 webhook notifiers through local mode, with the default 8 attempts (waits
 * shortened to 1 s), the receiver failing 20 % of requests at random: every delivery ends
 * `sent`, and each webhook-id is answered 2xx exactly once. Prints the figures.
 */
const EVENTS = 1000;
const NOTIFIERS = 3;
let dataDir: string;
let receiver: Receiver;
let herald: LocalHerald;
const okById = new Map<string, number>();
let failed = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'herald-load-'));
  receiver = await startReceiver();
  receiver.respond((req) => {
    if (Math.random() < 0.2) {
      failed++;
      return { status: 500 };
    }
    const id = String(req.headers['webhook-id']);
    okById.set(id, (okById.get(id) ?? 0) + 1);
    return { status: 200 };
  });
  herald = await startLocalHerald(dataDir, { HERALD_RETRY_SCHEDULE: '1,1,1,1,1,1,1' });
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('under load, with a flaky receiver', () => {
  it('sends every delivery, each exactly once with a 2xx', async () => {
    const admin = herald.adminKey;
    const app = await herald.call('POST', '/v1/apps', admin, { id: 'load', name: 'Load', owner: { email: 'o@load.example' } });
    for (let i = 0; i < NOTIFIERS; i++) {
      const res = await herald.call('POST', '/v1/apps/load/notifiers', admin, {
        name: `hook ${i}`,
        channel: 'webhook',
        target: { url: `${receiver.url}/hook/${i}` },
        events: ['load.*'],
      });
      expect(res.status).toBe(201);
    }

    const started = Date.now();
    let next = 0;
    const post = async () => {
      while (next < EVENTS) {
        const i = next++;
        const res = await herald.call('POST', '/v1/events', app.body.apiKey, { type: 'load.tick', data: { i } });
        expect(res.status).toBe(202);
        expect(res.body.deliveries).toBe(NOTIFIERS);
      }
    };
    await Promise.all(Array.from({ length: 8 }, post));
    const ingested = Date.now() - started;

    await eventually(
      async () => okById.size >= EVENTS * NOTIFIERS,
      180_000,
      `${EVENTS * NOTIFIERS} deliveries answered 2xx (${okById.size} so far)`,
    );
    const elapsed = Date.now() - started;

    let sent = 0;
    let attempts = 0;
    let cursor: string | null = null;
    do {
      const page: { body: { deliveries: { channel: string; status: string; attempts: unknown[] }[]; nextCursor: string | null } } =
        await herald.call('GET', `/v1/apps/load/deliveries?limit=100${cursor ? `&cursor=${cursor}` : ''}`, admin);
      // The app's default notifier also mailed the owner a welcome: count the webhooks only.
      for (const d of page.body.deliveries.filter((x) => x.channel === 'webhook')) {
        if (d.status === 'sent') sent++;
        attempts += d.attempts.length;
      }
      cursor = page.body.nextCursor;
    } while (cursor);

    const duplicates = [...okById.values()].filter((n) => n > 1).length;
    const figures = {
      events: EVENTS,
      deliveries: EVENTS * NOTIFIERS,
      ingestSeconds: ingested / 1000,
      allSentSeconds: elapsed / 1000,
      attempts,
      refusedByReceiver: failed,
      duplicates,
      lost: EVENTS * NOTIFIERS - sent,
    };
    console.log(`load: ${JSON.stringify(figures)}`);
    expect(sent).toBe(EVENTS * NOTIFIERS);
    expect(duplicates).toBe(0);
    expect(okById.size).toBe(EVENTS * NOTIFIERS);
    expect(attempts).toBe(okById.size + failed);
  }, 300_000);
});
