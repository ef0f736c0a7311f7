import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * A receiver that is busy but not slow (each answer in 150 ms, far under the 3 s that makes
 * a destination slow) given 60 deliveries at once through local mode, which works on up to
 * 100 queue messages at once while a destination may hold 16 attempts of a process: the
 * deliveries past 16 wait for a slot, a few hundred milliseconds, rather than being set
 * aside for 10 to 20 s (which is what made one receiver's throughput in the bench drop from
 * about 900 to about 200 a second, now and then).
 */
const EVENTS = 60;
const ANSWER_MS = 150;
let dataDir: string;
let receiver: Receiver;
let herald: LocalHerald;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'herald-busy-'));
  receiver = await startReceiver();
  receiver.respond(() => ({ status: 200, delayMs: ANSWER_MS }));
  herald = await startLocalHerald(dataDir);
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a busy receiver', () => {
  it('gets every delivery within seconds, at most 16 at once, none twice', async () => {
    const admin = herald.adminKey;
    const app = await herald.call('POST', '/v1/apps', admin, { id: 'busy', name: 'Busy', owner: { email: 'o@busy.example' } });
    const hook = { name: 'hook', channel: 'webhook', target: { url: `${receiver.url}/busy` }, events: ['busy.*'] };
    expect((await herald.call('POST', '/v1/apps/busy/notifiers', admin, hook)).status).toBe(201);

    const postedAt = Date.now();
    const events = Array.from({ length: EVENTS }, (_, i) => ({ type: 'busy.tick', data: { i } }));
    const res = await herald.call('POST', '/v1/events/batch', app.body.apiKey, { events });
    expect(res.status).toBe(202);

    // Set aside, the last ones would come 10 s after the post at the earliest.
    const arrived = () => receiver.requests.filter((r) => r.path === '/busy');
    await eventually(async () => arrived().length >= EVENTS, 8000, `all ${EVENTS} deliveries within 8 s`);
    expect(Math.max(...arrived().map((r) => r.at)) - postedAt).toBeLessThan(8000);
    const ids = arrived().map((r) => String(r.headers['webhook-id']));
    expect(ids).toHaveLength(EVENTS);
    expect(new Set(ids).size).toBe(EVENTS);
    // Never more than 16 under way: no 17 requests start within one answer's time.
    const starts = arrived()
      .map((r) => r.at)
      .sort((a, b) => a - b);
    const mostInOneAnswer = Math.max(...starts.map((t, i) => starts.slice(i).filter((u) => u - t < ANSWER_MS - 10).length));
    expect(mostInOneAnswer).toBeLessThanOrEqual(16);
  }, 30_000);
});
