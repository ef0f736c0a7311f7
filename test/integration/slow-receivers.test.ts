import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * "A slow receiver holds up only its own deliveries": two receivers that answer after 20 s
 * (past the 10 s timeout) must not delay a healthy one, fed from the same queue.
 */
let herald: TestHerald;
let slow: Receiver[];
let healthy: Receiver;

beforeAll(async () => {
  slow = await Promise.all([startReceiver(), startReceiver()]);
  for (const r of slow) r.respond(() => ({ status: 200, delayMs: 20_000 }));
  healthy = await startReceiver();
  herald = await startTestHerald({ retrySchedule: [60, 60] });
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await Promise.all([...slow, healthy].map((r) => r.close()));
});

describe('slow receivers', () => {
  it('hold up only their own deliveries', async () => {
    const key = await herald.createApp('mixed', {
      notifiers: [...slow, healthy].map((r, i) => ({
        name: `r${i}`,
        channel: 'webhook',
        target: { url: `${r.url}/in` },
        events: ['mix.*'],
      })),
    });
    const postedAt = new Map<number, number>();
    for (let i = 0; i < 40; i++) {
      postedAt.set(i, Date.now());
      const res = await herald.call('POST', '/v1/events', { key, body: { type: 'mix.x', data: { i } } });
      expect(res.body.deliveries).toBe(3);
    }
    await eventually(async () => healthy.requests.length >= 40, 30_000, 'the healthy receiver to get all 40');
    const arrivedAt = new Map<number, number>();
    for (const r of healthy.requests) arrivedAt.set(JSON.parse(r.body).data.i, r.at);
    const waits = [...postedAt].map(([i, at]) => (arrivedAt.get(i) as number) - at).sort((a, b) => a - b);
    // Before, a batch waited for its slowest record: a healthy p50 of 44 s was measured.
    expect(waits[Math.floor(waits.length / 2)]).toBeLessThan(2000);
    expect(waits.at(-1)).toBeLessThan(5000);
    // The slow ones had only a few attempts at once each; the rest were set aside, not failed.
    expect(slow.every((r) => r.requests.length <= 16)).toBe(true);
  }, 60_000);
});
