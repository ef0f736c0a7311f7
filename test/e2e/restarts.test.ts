import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * What a restart of local mode keeps: the dead letters, and the promise that an attempt cut
 * short by a crash is sent again, once, about three minutes after it began: when the queue
 * gives its message back (the README's "Delivery guarantees").
 */
let receiver: Receiver;
const answers = new Map<string, (n: number) => { status: number; delayMs?: number }>();

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.respond((req) => {
    const path = req.path.split('?')[0] as string;
    // This request is among them already: the first to this path is 1.
    const n = receiver.requests.filter((r) => r.path === req.path).length;
    return answers.get(path)?.(n) ?? { status: 200 };
  });
});
afterAll(() => receiver.close());

async function withDataDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-restart-'));
  try {
    return await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function setUp(herald: LocalHerald, path: string): Promise<string> {
  const app = await herald.call('POST', '/v1/apps', herald.adminKey, { id: 'shop', name: 'Shop', owner: { email: 'o@shop.example' } });
  expect(app.status).toBe(201);
  const notifier = await herald.call('POST', '/v1/apps/shop/notifiers', herald.adminKey, {
    name: 'hook',
    channel: 'webhook',
    target: { url: `${receiver.url}${path}` },
    events: ['deploy.*'],
  });
  expect(notifier.status).toBe(201);
  return app.body.apiKey;
}

/** The app's webhook deliveries in this status (its welcome mail is the other delivery). */
const webhookDeliveries = async (herald: LocalHerald, status: string): Promise<any[]> =>
  (await herald.call('GET', `/v1/apps/shop/deliveries?status=${status}`, herald.adminKey)).body.deliveries.filter(
    (d: any) => d.channel === 'webhook',
  );

describe('a restart of local mode', () => {
  it('keeps the dead letters, and a redrive after it sends them', async () => {
    answers.set('/down', () => ({ status: 503 }));
    await withDataDir(async (dir) => {
      const first = await startLocalHerald(dir, { HERALD_RETRY_SCHEDULE: '1,1,1' });
      try {
        const key = await setUp(first, '/down');
        for (let i = 0; i < 3; i++)
          expect((await first.call('POST', '/v1/events', key, { type: 'deploy.done', data: { i } })).status).toBe(202);
        await eventually(async () => (await webhookDeliveries(first, 'dead')).length === 3, 30_000, 'three dead deliveries');
        expect((await first.call('GET', '/v1/dlq', first.adminKey)).body.channels.webhook).toEqual({ messages: 3 });
      } finally {
        expect(await first.stop()).toBe(0);
      }

      const second = await startLocalHerald(dir, { HERALD_RETRY_SCHEDULE: '1,1,1' });
      try {
        expect((await second.call('GET', '/v1/dlq', second.adminKey)).body.channels.webhook).toEqual({ messages: 3 });
        answers.set('/down', () => ({ status: 200 }));
        const before = receiver.requests.filter((r) => r.path === '/down').length;
        expect((await second.call('POST', '/v1/dlq/webhook/redrive', second.adminKey)).body).toEqual({ moved: 3 });
        await eventually(async () => (await webhookDeliveries(second, 'sent')).length === 3, 15_000, 'three sent deliveries');
        expect(receiver.requests.filter((r) => r.path === '/down').length - before).toBe(3);
        expect((await second.call('GET', '/v1/dlq', second.adminKey)).body.channels.webhook).toEqual({ messages: 0 });
        // A second redrive finds nothing to send.
        expect((await second.call('POST', '/v1/dlq/webhook/redrive', second.adminKey)).body).toEqual({ moved: 0 });
      } finally {
        await second.stop();
      }
    });
  }, 90_000);

  it('sends an attempt cut short by a crash (kill -9) again, once, when the queue gives its message back (180 s)', async () => {
    // The first request is held until the process is gone; the next is answered at once.
    answers.set('/slow', (n) => (n === 1 ? { status: 200, delayMs: 300_000 } : { status: 200 }));
    await withDataDir(async (dir) => {
      const first = await startLocalHerald(dir);
      const key = await setUp(first, '/slow');
      await first.call('POST', '/v1/events', key, { type: 'deploy.done' });
      const [cut] = await eventually(
        async () => {
          const got = receiver.requests.filter((r) => r.path === '/slow');
          return got.length > 0 && got;
        },
        15_000,
        'the first attempt',
      );
      const exited = new Promise((resolve) => first.child.once('exit', resolve));
      first.child.kill('SIGKILL');
      await exited;

      const second = await startLocalHerald(dir);
      try {
        const [, again] = await eventually(
          async () => {
            const got = receiver.requests.filter((r) => r.path === '/slow');
            return got.length > 1 && got;
          },
          240_000,
          'the attempt sent again',
        );
        // From the first attempt: the message's visibility timeout (180 s), and a poll or two.
        const seconds = (again!.at - cut!.at) / 1000;
        expect(seconds).toBeGreaterThanOrEqual(175);
        expect(seconds).toBeLessThanOrEqual(215);
        expect(again!.headers['webhook-id']).toBe(cut!.headers['webhook-id']);
        const [delivery] = await eventually(
          async () => {
            const list = (await second.call('GET', '/v1/apps/shop/deliveries?status=sent', second.adminKey)).body.deliveries;
            return list.length > 0 && list;
          },
          10_000,
          'the delivery sent',
        );
        expect(delivery.attempts.map((a: any) => a.outcome)).toEqual(['sent']);
        await new Promise((r) => setTimeout(r, 3000));
        expect(receiver.requests.filter((r) => r.path === '/slow')).toHaveLength(2);
      } finally {
        await second.stop();
      }
    });
  }, 300_000);
});
