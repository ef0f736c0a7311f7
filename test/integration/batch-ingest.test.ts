import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeliveryQueue } from '../../shared/core/ports.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/** POST /v1/events/batch: up to 100 events in one request, each answered on its own, in order. */
let herald: TestHerald;
let receiver: Receiver;
let key: string;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  key = await herald.createApp('batch', {
    notifiers: [
      { name: 'a', channel: 'webhook', target: { url: `${receiver.url}/a` }, events: ['deploy.*'] },
      { name: 'b', channel: 'webhook', target: { url: `${receiver.url}/b` }, events: ['deploy.*'] },
    ],
  });
  await herald.createApp('other');
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const batch = (events: unknown[], as = key) => herald.call('POST', '/v1/events/batch', { key: as, body: { events } });

describe('POST /v1/events/batch', () => {
  it('answers each event in the order sent, 207 when some are refused, and delivers the accepted ones', async () => {
    const res = await batch([
      { type: 'deploy.done', title: 'first 🚀' },
      { type: 'Not A Type' },
      { type: 'deploy.done', title: 'third', app: 'other' },
      { type: 'deploy.done', title: 'fourth', id: 'batch-4' },
    ]);
    expect(res.status).toBe(207);
    const [first, second, third, fourth] = res.body.results;
    expect(first).toMatchObject({ index: 0, status: 202, deliveries: 2, duplicate: false, eventId: expect.stringMatching(/^evt_/) });
    expect(second).toMatchObject({ index: 1, status: 400, error: { code: 'invalid_request' } });
    expect(second.error.details.map((d: any) => d.path)).toEqual(['type']);
    expect(third).toMatchObject({ index: 2, status: 403, error: { code: 'forbidden' } });
    expect(fourth).toMatchObject({ index: 3, status: 202, deliveries: 2 });
    const arrived = await eventually(
      async () => {
        const titles = receiver.requests.map((r) => `${r.path} ${JSON.parse(r.body).title}`).sort();
        return titles.length >= 4 && titles;
      },
      10_000,
      'the four deliveries',
    );
    expect(arrived).toEqual(['/a first 🚀', '/a fourth', '/b first 🚀', '/b fourth']);
    const event = await herald.call('GET', `/v1/apps/batch/events/${first.eventId}`, { key: herald.adminKey });
    expect(event.body.event.title).toBe('first 🚀');
  });

  it('keeps each event idempotent through its id: a repeated batch delivers nothing again', async () => {
    const events = [
      { type: 'deploy.done', id: 'again-1' },
      { type: 'deploy.done', id: 'again-2' },
    ];
    const first = await batch(events);
    expect(first.status).toBe(202);
    await eventually(
      async () => receiver.requests.filter((r) => JSON.parse(r.body).event_id === first.body.results[1].eventId).length === 2,
      10_000,
      'delivered',
    );
    const before = receiver.requests.length;
    const again = await batch(events);
    expect(again.status).toBe(202);
    expect(again.body.results.map((r: any) => [r.duplicate, r.eventId])).toEqual(first.body.results.map((r: any) => [true, r.eventId]));
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.requests.length).toBe(before);
  });

  it('queues the deliveries of a whole batch in shared calls', async () => {
    const real = herald.deps.queue;
    let calls = 0;
    const counting: DeliveryQueue = { enqueue: (messages) => (calls++, real.enqueue(messages)) };
    herald.deps.queue = counting;
    try {
      const res = await batch(Array.from({ length: 100 }, (_, i) => ({ type: 'deploy.done', data: { i } })));
      expect(res.status).toBe(202);
      expect(res.body.results).toHaveLength(100);
      expect(res.body.results.every((r: any, i: number) => r.index === i && r.deliveries === 2)).toBe(true);
    } finally {
      herald.deps.queue = real;
    }
    expect(calls).toBe(1);
  });

  it('tells a failure and its recovery in one batch in order, as posted one by one', async () => {
    // The pager selects failures only: it hears of the recovery because it was told of the failure.
    const added = await herald.call('POST', '/v1/apps/batch/notifiers', {
      key: herald.adminKey,
      body: { name: 'pager', channel: 'webhook', target: { url: `${receiver.url}/pager` }, events: ['monitor.down'] },
    });
    expect(added.status).toBe(201);
    const res = await batch([
      { type: 'monitor.down', title: 'api down', data: { target: 'api' } },
      { type: 'monitor.recovery', title: 'api back', data: { target: 'api' } },
    ]);
    expect(res.status).toBe(202);
    const arrived = await eventually(
      async () => {
        const titles = receiver.requests.filter((r) => r.path === '/pager').map((r) => JSON.parse(r.body).title);
        return titles.length >= 2 && titles;
      },
      10_000,
      'the failure and the recovery',
    );
    expect(arrived).toEqual(['api down', 'api back']);
  });

  it("says when to try again to an event over its app's events per minute", async () => {
    // app_created, the welcome, counts as the first event of the minute; 5 events: even if a minute starts midway, one goes over.
    const limited = await herald.createApp('limited', { limits: { eventsPerMinute: 2 } });
    const res = await batch(
      Array.from({ length: 5 }, () => ({ type: 'deploy.done' })),
      limited,
    );
    expect(res.status).toBe(207);
    const refused = res.body.results.find((r: any) => r.status === 429);
    expect(refused.error.code).toBe('rate_limited');
    expect(refused.error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.error.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it('answers the same id twice in one batch as a duplicate of the first, and delivers it once', async () => {
    const res = await batch([
      { type: 'deploy.done', id: 'twice-in-one', title: 'twice' },
      { type: 'deploy.done', id: 'twice-in-one', title: 'twice' },
    ]);
    expect(res.status).toBe(202);
    const [first, second] = res.body.results;
    expect(first).toMatchObject({ status: 202, duplicate: false, deliveries: 2 });
    expect(second).toMatchObject({ status: 202, duplicate: true, eventId: first.eventId });
    await eventually(async () => receiver.requests.filter((r) => JSON.parse(r.body).title === 'twice').length === 2, 10_000, 'delivered');
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      receiver.requests
        .filter((r) => JSON.parse(r.body).title === 'twice')
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/a', '/b']);
  });

  it('refuses only the event with a number JavaScript would change or a control character, naming its field', async () => {
    const raw = `{"events":[{"type":"deploy.done","data":{"n":123456789012345678901234}},{"type":"deploy.done","title":"bell\\u0007"},{"type":"deploy.done","title":"shape fine"}]}`;
    const res = await herald.call('POST', '/v1/events/batch', { key, raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(207);
    const [big, bell, fine] = res.body.results;
    expect(big).toMatchObject({ index: 0, status: 400, error: { code: 'invalid_request' } });
    expect(big.error.details.map((d: any) => d.path)).toEqual(['data.n']);
    expect(bell).toMatchObject({ index: 1, status: 400, error: { code: 'invalid_request' } });
    expect(bell.error.details.map((d: any) => d.path)).toEqual(['title']);
    expect(fine).toMatchObject({ index: 2, status: 202, deliveries: 2 });
    await eventually(async () => receiver.requests.some((r) => JSON.parse(r.body).title === 'shape fine'), 10_000, 'the valid event');
  });

  it('refuses an event over 64 KiB alone, and an id too long or not ASCII alone', async () => {
    const res = await batch([
      { type: 'deploy.done', data: { pad: 'z'.repeat(70_000) } },
      { type: 'deploy.done', id: 'i'.repeat(3_000) },
      { type: 'deploy.done', id: 'launch-🚀' },
      { type: 'deploy.done', title: 'sized fine' },
    ]);
    expect(res.status).toBe(207);
    const [big, long, emoji, fine] = res.body.results;
    expect(big).toMatchObject({ index: 0, status: 413, error: { code: 'payload_too_large' } });
    expect(long).toMatchObject({ index: 1, status: 400, error: { code: 'invalid_request' } });
    expect(long.error.details.map((d: any) => d.path)).toEqual(['id']);
    expect(emoji).toMatchObject({ index: 2, status: 400, error: { code: 'invalid_request' } });
    expect(emoji.error.details.map((d: any) => d.path)).toEqual(['id']);
    expect(fine).toMatchObject({ index: 3, status: 202, deliveries: 2 });
  });

  it('refuses more than 100 events, or none, naming events', async () => {
    for (const events of [[], Array.from({ length: 101 }, () => ({ type: 'deploy.done' }))]) {
      const res = await batch(events);
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe('events');
    }
  });

  it('prints no metrics in local mode (metrics off), for events accepted or refused', async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
    try {
      const res = await batch([{ type: 'build.done', title: 'no notifier wants it' }, { type: 'Not A Type' }]);
      expect(res.body.results.map((r: any) => r.status)).toEqual([202, 400]);
    } finally {
      spy.mockRestore();
    }
    expect(printed.filter((line) => line.includes('"_aws"'))).toEqual([]);
  });
});
