import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * Retries of several deliveries of one event, through a whole retry schedule of waits long
 * enough for jitter to tell them apart (30 to 33 s). Time runs fast: the clock (Date, which
 * the emulators' visibility timeouts and the claims read too) jumps ahead while the test runs.
 */
let herald: TestHerald;
let receiver: Receiver;
let key: string;
let up = false;
const WAITS = [30, 30, 30, 30, 30, 30, 30, 30]; // 9 attempts a delivery: over maxReceiveCount (13) if each took its own receive

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.respond(() => ({ status: up ? 200 : 503 }));
  herald = await startTestHerald({ retrySchedule: WAITS });
  key = await herald.createApp('rounds', {
    notifiers: ['/a', '/b'].map((path) => ({
      name: path,
      channel: 'webhook',
      target: { url: `${receiver.url}${path}` },
      events: ['down'],
    })),
  });
  // Jitter at both ends in turn: two deliveries drawing their own would be due 3 s apart.
  let turn = 0;
  vi.spyOn(Math, 'random').mockImplementation(() => (turn++ % 2 ? 0.99 : 0));
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  herald.startDelivering();
});
afterAll(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await herald.stop();
  await receiver.close();
});

const deliveriesOf = async (eventId: string): Promise<any[]> =>
  (await herald.call('GET', `/v1/apps/rounds/events/${eventId}`, { key: herald.adminKey })).body.deliveries;

/** Until every delivery of the event is in `status`, the clock 1 s further every 0.1 s (finer than the 3 s between jitters). */
async function fastForwardUntil(eventId: string, status: string): Promise<any[]> {
  const deadline = performance.now() + 100_000;
  for (;;) {
    const deliveries = await deliveriesOf(eventId);
    if (deliveries.every((d) => d.status === status)) return deliveries;
    if (performance.now() > deadline)
      throw new Error(`not all ${status}: ${JSON.stringify(deliveries.map((d) => [d.status, d.attempts.length]))}`);
    await new Promise((r) => setTimeout(r, 100));
    vi.setSystemTime(Date.now() + 1000);
  }
}

describe('deliveries of one event failing together', () => {
  it('all end dead at the end of the schedule, are counted as dead letters and redriven, however their jitter falls', async () => {
    const posted = await herald.call('POST', '/v1/events', { key, body: { type: 'down' } });
    expect(posted.body.deliveries).toBe(2);
    const dead = await fastForwardUntil(posted.body.eventId, 'dead');
    for (const d of dead) expect(d.attempts).toHaveLength(WAITS.length + 1);
    expect(receiver.requests.filter((r) => r.path === '/a')).toHaveLength(WAITS.length + 1);
    expect(receiver.requests.filter((r) => r.path === '/b')).toHaveLength(WAITS.length + 1);
    expect((await herald.call('GET', '/v1/dlq', { key: herald.adminKey })).body.channels.webhook.messages).toBe(2);

    up = true;
    const redriven = await herald.call('POST', '/v1/dlq/webhook/redrive', { key: herald.adminKey });
    expect(redriven.body).toEqual({ moved: 2 });
    await eventually(async () => (await deliveriesOf(posted.body.eventId)).every((d) => d.status === 'sent'), 15_000, 'both sent');
    expect(receiver.requests.filter((r) => r.path === '/a')).toHaveLength(WAITS.length + 2);
    expect(receiver.requests.filter((r) => r.path === '/b')).toHaveLength(WAITS.length + 2);
  }, 150_000);
});
