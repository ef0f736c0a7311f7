import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heraldDeps } from '../../shared/aws/wiring.js';
import type { DeliveryQueue } from '../../shared/core/ports.js';
import { SWEEPER } from '../../shared/resources.js';
import { sweep } from '../../shared/services/sweeper.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * What travels on the queues: any Unicode a user types; a message a queue refuses for good
 * ends `failed` with the reason instead of waiting forever; and deliveries that cannot be
 * queued never keep the sweeper from the others.
 */
let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const webhook = (path: string, events: string[], extra: object = {}) => ({
  name: path,
  channel: 'webhook',
  target: { url: `${receiver.url}${path}` },
  events,
  ...extra,
});
const eventOf = async (app: string, eventId: string) =>
  (await herald.call('GET', `/v1/apps/${app}/events/${eventId}`, { key: herald.adminKey })).body;

describe('any Unicode a user types', () => {
  it('is delivered: an emoji in a title, an app name and a template, and characters SQS refuses', async () => {
    const key = await herald.createApp('emoji', {
      name: 'Shop 🛒',
      notifiers: [
        webhook('/emoji', ['audit.*']),
        {
          name: 'mail',
          channel: 'email',
          target: { to: ['ops@emoji.example'] },
          events: ['audit.*'],
          templates: { 'email.subject': '🔔 {{ event.title }}' },
        },
      ],
    });
    const title = 'deploy 🚀 \uFFFF\uFFFE lone \uD800 end';
    const posted = await herald.call('POST', '/v1/events', { key, body: { type: 'audit.x', title, message: 'Zürich → 東京' } });
    expect(posted.status).toBe(202);
    const [hook] = await eventually(
      async () => {
        const got = receiver.requests.filter((r) => r.path === '/emoji');
        return got.length > 0 && got;
      },
      10_000,
      'the webhook',
    );
    const body = JSON.parse(hook!.body);
    expect(body).toMatchObject({ title, message: 'Zürich → 東京', app: { name: 'Shop 🛒' } });
    const mail = await eventually(
      async () => {
        const { emails } = (await herald.call('GET', '/_local/outbox/email')).body;
        return emails.find((m: any) => m.destination.to.includes('ops@emoji.example'));
      },
      10_000,
      'the mail',
    );
    expect(mail.subject).toContain('🔔 deploy 🚀');
    const { deliveries } = await eventOf('emoji', posted.body.eventId);
    expect(deliveries.map((d: any) => d.status)).toEqual(['sent', 'sent']);
  });
});

describe('a message a queue refuses for good', () => {
  it("ends its delivery failed with the reason, and the event's other deliveries go out", async () => {
    const key = await herald.createApp('huge', { notifiers: [webhook('/huge-ok', ['audit.*'])] });
    const created = await herald.call('POST', '/v1/apps/huge/notifiers', { key: herald.adminKey, body: webhook('/huge', ['audit.*']) });
    // 40 overrides of 8 KiB each, a few at a time (a request body is at most 64 KiB): a 320 KiB message.
    for (let batch = 0; batch < 8; batch++) {
      const templates = Object.fromEntries(
        Array.from({ length: 5 }, (_, i) => [`t${batch * 5 + i}.zz/email.text`, `{{ event.title }}${'x'.repeat(8000)}`]),
      );
      const patched = await herald.call('PATCH', `/v1/apps/huge/notifiers/${created.body.notifier.id}`, {
        key: herald.adminKey,
        body: { templates },
      });
      expect(patched.status).toBe(200);
    }
    const posted = await herald.call('POST', '/v1/events', { key, body: { type: 'audit.big' } });
    expect(posted.body.deliveries).toBe(2);
    await eventually(async () => receiver.requests.some((r) => r.path === '/huge-ok'), 10_000, 'the other delivery');
    const { deliveries } = await eventOf('huge', posted.body.eventId);
    const refused = deliveries.find((d: any) => d.notifierId === created.body.notifier.id);
    expect(refused).toMatchObject({ status: 'failed', reason: expect.stringContaining("over SQS's limit of 256 KiB") });
    expect(receiver.requests.some((r) => r.path === '/huge')).toBe(false);
  });
});

describe('the sweeper', () => {
  it('pages past deliveries that cannot be queued, so that the others go out', async () => {
    const stuckKey = await herald.createApp('stuck', { notifiers: [webhook('/stuck', ['audit.*'])] });
    const healthyKey = await herald.createApp('healthy', { notifiers: [webhook('/healthy', ['audit.*'])] });
    // The queue takes nothing for a while: 30 deliveries of `stuck` wait, then 5 of `healthy`, behind them.
    const realQueue = herald.deps.queue;
    const down: DeliveryQueue = {
      enqueue: async (messages) => messages.map((m) => ({ deliveryId: m.delivery.id, reason: 'queue down', permanent: false })),
    };
    herald.deps.queue = down;
    try {
      for (let i = 0; i < 30; i++) await herald.call('POST', '/v1/events', { key: stuckKey, body: { type: 'audit.stuck' } });
      for (let i = 0; i < 5; i++) await herald.call('POST', '/v1/events', { key: healthyKey, body: { type: 'audit.healthy' } });
    } finally {
      herald.deps.queue = realQueue;
    }
    // Back up, except that `stuck`'s messages are still refused, for now.
    const deps = heraldDeps(herald.config);
    const partly: DeliveryQueue = {
      enqueue: async (messages) => {
        const refused = messages.filter((m) => m.delivery.appId === 'stuck');
        const rest = await realQueue.enqueue(messages.filter((m) => m.delivery.appId !== 'stuck'));
        return [...rest, ...refused.map((m) => ({ deliveryId: m.delivery.id, reason: 'throttled', permanent: false }))];
      },
    };
    const later = new Date(Date.now() + 2 * SWEEPER.graceSeconds * 1000);
    const sweeps = [];
    for (let run = 0; run < 5; run++) {
      sweeps.push(await sweep({ ...deps, queue: partly, clock: () => later }, { ...SWEEPER, maxPerRun: 10 }));
      if (receiver.requests.filter((r) => r.path === '/healthy').length === 5) break;
    }
    await eventually(async () => receiver.requests.filter((r) => r.path === '/healthy').length === 5, 10_000, 'the 5 healthy deliveries');
    expect(sweeps.length).toBeLessThanOrEqual(5);
    expect(sweeps.slice(0, 3).every((s) => s.notQueued === 10)).toBe(true);
    expect(receiver.requests.filter((r) => r.path === '/stuck')).toHaveLength(0);
  });
});
