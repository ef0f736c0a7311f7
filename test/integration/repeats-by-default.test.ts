import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * PM2's bad behavior as the default for failures, Scalingo's app_crashed_repeated, and the
 * answer that says why nothing went out: what a receiver and an inbox get from a burst.
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

const hook = (path: string, fields: object = {}) => ({
  name: path,
  channel: 'webhook',
  target: { url: `${receiver.url}${path}` },
  ...fields,
});
const post = async (key: string, body: object, headers?: Record<string, string>) => {
  const res = await herald.call('POST', '/v1/events', { key, body, ...(headers ? { headers } : {}) });
  expect(res.status).toBe(202);
  return res.body;
};
const burst = async (key: string, body: object, times: number) => {
  const answers = [];
  for (let i = 0; i < times; i++) answers.push(await post(key, body));
  return answers;
};
const typesAt = (path: string) => receiver.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body).event_type as string);
/** Waits until `path` got `count` requests, then a little longer, so that one too many would show. */
const settledAt = async (path: string, count: number) => {
  await eventually(async () => typesAt(path).length >= count, 15_000, `${count} requests at ${path}`);
  await new Promise((r) => setTimeout(r, 1500));
  return typesAt(path);
};
const mailsTo = async (address: string, subject: string) => {
  const { emails } = (await herald.call('GET', '/_local/outbox/email')).body;
  return (emails as any[]).filter((m) => m.destination.to.includes(address) && m.subject.includes(subject));
};
/** The mails an inbox got, once at least `count` came and a little longer has passed. */
const settledMails = async (address: string, subject: string, count: number) => {
  await eventually(async () => (await mailsTo(address, subject)).length >= count, 10_000, `${count} mails to ${address}`);
  await new Promise((r) => setTimeout(r, 1000));
  return mailsTo(address, subject);
};

describe('repeats are throttled by default (PM2 bad behavior)', () => {
  it('12 identical errors in a burst: the first and one "bad behavior", on every notifier and the owner\'s inbox', async () => {
    const key = await herald.createApp('burst', { notifiers: [hook('/all'), hook('/raw', { throttle: false })] });
    const answers = await burst(key, { type: 'exception', title: 'TypeError: x is undefined', message: 'at checkout.js:12' }, 12);
    expect(await settledAt('/raw', 12)).toHaveLength(12); // "throttle": false opts out
    expect(await settledAt('/all', 2)).toEqual(['exception', 'bad_behavior']);
    const bad = receiver.requests.filter((r) => r.path === '/all').map((r) => JSON.parse(r.body))[1];
    expect(bad.title).toBe('TypeError: x is undefined happened 6 times in 60 s');
    expect(await settledMails('o@burst.example', 'TypeError', 2)).toHaveLength(2);
    // The answers say who held which repeat back, and why.
    const all = (await herald.call('GET', '/v1/apps/burst/notifiers', { key: herald.adminKey })).body.notifiers.find(
      (n: any) => n.name === '/all',
    );
    expect(answers[1].declined).toContainEqual({ notifierId: all.id, reason: 'throttled: repeat 2 within 60 s' });
    expect(answers[5].declined).toEqual([]); // the "bad behavior" goes out
    // Opting out and back in through a patch.
    const patch = (throttle: unknown) =>
      herald.call('PATCH', `/v1/apps/burst/notifiers/${all.id}`, { key: herald.adminKey, body: { throttle } });
    expect((await patch(false)).body.notifier.throttle).toBe(false);
    expect((await patch({})).body.notifier.throttle).toEqual({ limit: 5, windowSeconds: 60 });
    expect((await patch(true)).status).toBe(400);
  });

  it('never takes distinct events for repeats, nor throttles info events such as deploys', async () => {
    const key = await herald.createApp('distinct', {
      notifiers: [hook('/distinct', { events: ['monitor.down'], throttle: { limit: 2, windowSeconds: 60 } }), hook('/deploys')],
    });
    for (let i = 0; i < 6; i++) await post(key, { type: 'monitor.down', title: 'Site down', data: { target: `https://s${i}.example` } });
    expect(await settledAt('/distinct', 6)).toHaveLength(6);
    await burst(key, { type: 'app_deployed', title: 'Deployed v42' }, 12);
    expect((await settledAt('/deploys', 18)).filter((t) => t === 'app_deployed')).toHaveLength(12);
  });

  it('leaves a notifier that counts occurrences to its own count', async () => {
    const key = await herald.createApp('counted', {
      notifiers: [hook('/counted', { events: ['exception'], occurrences: { on: [1, 7, 12], windowSeconds: 3600 } })],
    });
    await burst(key, { type: 'exception', title: 'Boom' }, 12);
    expect(await settledAt('/counted', 3)).toEqual(['exception', 'exception', 'exception']);
  });
});

describe('app_crashed_repeated', () => {
  it('named by a notifier, it gets every crash; app_crashed and the owner keep the throttle', async () => {
    const key = await herald.createApp('crashy', {
      notifiers: [hook('/each-crash', { events: ['app_crashed_repeated'] }), hook('/crash', { events: ['app_crashed'] })],
    });
    const defaults = (await herald.call('GET', '/v1/apps/crashy/notifiers', { key: herald.adminKey })).body.notifiers.find(
      (n: any) => n.default,
    );
    expect(defaults.events).not.toContain('app_crashed_repeated');
    await burst(key, { type: 'app_crashed', title: 'web crashed' }, 8);
    expect(await settledAt('/each-crash', 8)).toEqual(Array(8).fill('app_crashed'));
    expect(await settledAt('/crash', 2)).toEqual(['app_crashed', 'bad_behavior']);
    expect(await settledMails('o@crashy.example', 'web crashed', 2)).toHaveLength(2);
  });
});

describe('the answer to an event that notified nobody', () => {
  it('says "unchanged" for a status that did not change, and again for a repeat of its idempotency key', async () => {
    const key = await herald.createApp('status', { notifiers: [hook('/status', { events: ['check.*'] })] });
    const first = await post(key, { type: 'check.status_changed', data: { check: 'api', status: 'ERROR' } });
    expect(first).toMatchObject({ deliveries: 1, unchanged: false, declined: [] });
    const again = { type: 'check.status_changed', data: { check: 'api', status: 'ERROR' } };
    const second = await post(key, again, { 'Idempotency-Key': 'again-1' });
    expect(second).toEqual({ eventId: expect.any(String), deliveries: 0, duplicate: false, unchanged: true, declined: [] });
    expect(await post(key, again, { 'Idempotency-Key': 'again-1' })).toEqual({ ...second, duplicate: true });
  });

  it('names each notifier that declined, with its reason (quiet hours here)', async () => {
    const allDay = { timeZone: 'UTC', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '00:00' }] };
    const key = await herald.createApp('asleep', { notifiers: [hook('/asleep', { events: ['nightly.*'], quietHours: allDay })] });
    const answer = await post(key, { type: 'nightly.report' });
    const [asleep] = (await herald.call('GET', '/v1/apps/asleep/notifiers', { key: herald.adminKey })).body.notifiers.filter(
      (n: any) => n.name === '/asleep',
    );
    expect(answer).toMatchObject({ deliveries: 1, unchanged: false });
    expect(answer.declined).toEqual([{ notifierId: asleep.id, reason: expect.stringContaining('quiet hours') }]);
  });
});
