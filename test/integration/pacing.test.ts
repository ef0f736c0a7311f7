import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelFunction } from '../../shared/channel-function.js';
import { sesEmailSender, snsSmsSender } from '../../shared/aws/wiring.js';
import { FAMILIES } from '../../shared/core/types.js';
import { SqsEventSource } from '../../infra/local/sqs-event-source.js';
import { CHANNELS } from '../support/channels.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * Pacing (issue 18) on the emulators: Herald sends no faster than a destination takes,
 * across function instances, waits without spending attempts, and coalesces what waits
 * too long, per recipient. The Slack stand-in answers 429 past 1/s with bursts of 3.
 */
let herald: TestHerald;
let receiver: Receiver;
let key: string;
let secondInstance: SqsEventSource;
const answers = new Map<string, number[]>(); // webhook path → statuses to answer, in turn; then 200
const SLACK = '/services/T0PACE/B0PACE/pacetoken1';

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.respond((req) => {
    const status = answers.get(req.path.split('?')[0] as string)?.shift() ?? 200;
    return { status, headers: status === 429 ? { 'retry-after': '1' } : ({} as Record<string, string>) };
  });
  // Two attempts 4 s apart: a 429 that counted would end a delivery after its second.
  herald = await startTestHerald({ retrySchedule: [4] });
  key = await herald.createApp('shop', {
    notifiers: [{ name: 'ops', channel: 'slack', target: { url: `${herald.standIns.url}/_local/slack${SLACK}` }, events: ['pace.*'] }],
  });
  herald.startDelivering();
  // A second instance of the slack function on the same queue, as Lambda runs several: they share the buckets.
  const { config } = herald;
  const send = { email: sesEmailSender(config), emailFrom: config.emailFrom, sms: snsSmsSender(config), providers: config.providers };
  const handler = channelFunction(
    'slack',
    FAMILIES.slack.map((c) => CHANNELS[c]),
    config,
    send,
  );
  const url = herald.queues.slack.url;
  const arn = (await herald.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.[
    'QueueArn'
  ];
  secondInstance = new SqsEventSource(herald.sqs, url, arn ?? url, handler, { waitTimeSeconds: 1 });
  secondInstance.start();
});
afterAll(async () => {
  await secondInstance?.stop();
  await herald?.stop();
  await receiver?.close();
});

/** Every delivery of the app's notifier, newest first. */
async function deliveriesOf(notifierId: string): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await herald.call(
      'GET',
      `/v1/apps/shop/deliveries?notifierId=${notifierId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      {
        key: herald.adminKey,
      },
    );
    all.push(...page.body.deliveries);
    cursor = page.body.nextCursor;
  } while (cursor);
  return all;
}

async function notifierNamed(name: string): Promise<string> {
  const { body } = await herald.call('GET', '/v1/apps/shop/notifiers?limit=100', { key: herald.adminKey });
  return body.notifiers.find((n: any) => n.name === name).id;
}

describe('pacing to a provider', () => {
  it('500 events to one Slack webhook: all delivered or coalesced, no 429, at most 1.1/s, none dead', async () => {
    const started = Date.now();
    for (let b = 0; b < 5; b++) {
      const events = Array.from({ length: 100 }, (_, i) => ({ type: 'pace.tick', title: `tick ${b * 100 + i}` }));
      const res = await herald.call('POST', '/v1/events/batch', { key, body: { events } });
      expect(res.status).toBe(202);
    }
    const ops = await notifierNamed('ops');
    const ended = await eventually(
      async () => {
        const all = await deliveriesOf(ops);
        return all.length === 500 && all.every((d) => ['sent', 'coalesced', 'dead', 'failed'].includes(d.status)) && all;
      },
      60_000,
      '500 deliveries ended',
    );
    expect(ended.filter((d: any) => d.status === 'dead' || d.status === 'failed')).toEqual([]);
    expect(herald.standIns.rateLimited('slack')).toBe(0);

    const posted = herald.standIns.delivered('slack').filter((d) => d['webhook'] === 'B0PACE');
    const sent = ended.filter((d: any) => d.status === 'sent');
    expect(posted).toHaveLength(sent.length);
    const times = posted.map((d) => Date.parse(d.at)).sort((a, b) => a - b);
    const rate = (times.length - 1) / (((times.at(-1) as number) - (times[0] as number)) / 1000);
    expect(rate).toBeLessThanOrEqual(1.1);

    // Each coalesced delivery names a carrier that was sent, and the carrier's message counts and lists them.
    const coalesced = ended.filter((d: any) => d.status === 'coalesced');
    expect(coalesced.length).toBeGreaterThan(400);
    const carriers = new Set(coalesced.map((d: any) => /^carried by (dlv_\w+)$/.exec(d.reason)?.[1]));
    for (const carrier of carriers) expect(sent.map((d: any) => d.id)).toContain(carrier);
    const merged = posted.filter((d) => /\d+ more notifications for Shop/.test(String(d['text'])));
    expect(merged).toHaveLength(carriers.size);
    expect(JSON.stringify(merged[0]?.['blocks'])).toMatch(/tick \d+/);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);
});

describe('coalescing', () => {
  it("merges a backed-up destination's waiting notifications per recipient, never one person's with another's", async () => {
    const to = ['+4915112340001', '+4915112340002'];
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      // Both numbers share the sender's pace (Twilio counts per sender); 2/s so that the test is short.
      body: { name: 'pager', channel: 'twilio_sms', target: { to }, events: ['recip.*'], rate: { perSecond: 2, burst: 1 } },
    });
    expect(created.status).toBe(201);
    expect(created.body.notifier.rate).toEqual({ perSecond: 2, burst: 1 });
    const events = Array.from({ length: 40 }, (_, i) => ({ type: 'recip.tick', title: `r${i}` }));
    expect((await herald.call('POST', '/v1/events/batch', { key, body: { events } })).status).toBe(202);
    const ended = await eventually(
      async () => {
        const all = await deliveriesOf(created.body.notifier.id);
        return all.length === 80 && all.every((d) => d.status === 'sent' || d.status === 'coalesced') && all;
      },
      40_000,
      '80 deliveries sent or coalesced',
    );
    const byId = new Map(ended.map((d: any) => [d.id, d]));
    const coalesced = ended.filter((d: any) => d.status === 'coalesced');
    expect(coalesced.length).toBeGreaterThan(20);
    for (const d of coalesced) {
      const carrier: any = byId.get(/^carried by (dlv_\w+)$/.exec(d.reason)?.[1]);
      expect(carrier).toMatchObject({ status: 'sent', recipient: d.recipient });
    }
    // What each person got adds up to their own 40: the ones sent alone, and the count of the merged one.
    const sms = herald.standIns.delivered('twilio').filter((m) => to.includes(String(m['to'])));
    for (const number of to) {
      const theirs = sms.filter((m) => m['to'] === number).map((m) => String(m['body']));
      const merged = theirs.map((b) => Number(/(\d+) more notifications for Shop/.exec(b)?.[1] ?? 0));
      expect(merged.filter((n) => n > 0)).toHaveLength(1);
      expect(theirs.length - 1 + merged.reduce((a, b) => a + b, 0)).toBe(40);
    }
  }, 60_000);
});

describe('coalescing and failover', () => {
  it('a coalesced delivery is not failed over while its carrier went or is on its way (it would be sent twice)', async () => {
    // The tests before sent the app's 100 SMS of the day.
    const raised = await herald.call('PATCH', '/v1/apps/shop', { key: herald.adminKey, body: { limits: { smsPerDay: 1000 } } });
    expect(raised.status, JSON.stringify(raised.body)).toBe(200);
    const mail = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'backup mail', channel: 'email', target: { to: ['backup@shop.example'] }, events: ['nothing.wanted'] },
    });
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: {
        name: 'pager with failover',
        channel: 'twilio_sms',
        target: { to: ['+4915112340009'] },
        events: ['late.*'],
        rate: { perSecond: 2, burst: 1 },
        failover: { to: [{ notifier: mail.body.notifier.id }], afterSeconds: 3 },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const events = Array.from({ length: 40 }, (_, i) => ({ type: 'late.tick', title: `l${i}` }));
    expect((await herald.call('POST', '/v1/events/batch', { key, body: { events } })).status).toBe(202);
    const ended = await eventually(
      async () => {
        const all = await deliveriesOf(created.body.notifier.id);
        return all.length === 40 && all.every((d) => d.status === 'sent' || d.status === 'coalesced') && all;
      },
      40_000,
      '40 deliveries sent or coalesced',
    );
    const coalesced = new Set(ended.filter((d: any) => d.status === 'coalesced').map((d: any) => d.id));
    expect(coalesced.size).toBeGreaterThan(10);
    await new Promise((resolve) => setTimeout(resolve, 4_000)); // every late timer (3 s) has fired
    const failovers = (await deliveriesOf(mail.body.notifier.id)).filter((d: any) => d.failoverOf);
    expect(failovers.filter((d: any) => coalesced.has(d.failoverOf))).toEqual([]);
    // And in the outbox: no mail to the backup about an event whose SMS went in a coalesced one.
    const titleOf = async (d: any) =>
      (await herald.call('GET', `/v1/apps/shop/events/${d.eventId}`, { key: herald.adminKey })).body.event.title as string;
    const carried = await Promise.all(ended.filter((d: any) => coalesced.has(d.id)).map(titleOf));
    const outbox = (await herald.call('GET', '/_local/outbox/email')).body.emails as any[];
    const mailed = outbox.filter((m) => m.destination.to.includes('backup@shop.example')).map((m) => String(m.subject));
    for (const title of carried)
      expect(
        mailed.filter((subject) => new RegExp(`\\b${title}\\b`).test(subject)),
        title,
      ).toEqual([]);
  }, 60_000);
});

describe("a provider's own rate headers", () => {
  it("waits for Discord's reset when its X-RateLimit-Remaining says the webhook's bucket is spent", async () => {
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: {
        name: 'discord',
        channel: 'discord',
        target: { url: `${herald.standIns.url}/_local/discord/api/webhooks/4242/tok-en` },
        events: ['disc.*'],
      },
    });
    expect(created.status).toBe(201);
    herald.standIns.failNext('discord', { status: 204, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '3' } });
    await herald.call('POST', '/v1/events', { key, body: { type: 'disc.one' } });
    const first = await eventually(
      async () => (await deliveriesOf(created.body.notifier.id)).find((d) => d.status === 'sent'),
      10_000,
      'the first sent',
    );
    await herald.call('POST', '/v1/events', { key, body: { type: 'disc.two' } });
    const second = await eventually(
      async () => (await deliveriesOf(created.body.notifier.id)).find((d) => d.status === 'sent' && d.id !== first.id),
      10_000,
      'the second sent',
    );
    // Discord's default pace (5 per 2 s) would send it at once.
    expect(Date.parse(second.lastAttempt.at) - Date.parse(first.lastAttempt.at)).toBeGreaterThanOrEqual(2900);
    // Discord got it then (the first was answered by the fault, which records no arrival).
    const arrived = herald.standIns.delivered('discord').filter((d) => d['webhookId'] === '4242');
    expect(arrived).toHaveLength(1);
    expect(JSON.stringify(arrived[0])).toContain('disc.two');
    expect(Date.parse(String(arrived[0]?.at)) - Date.parse(first.lastAttempt.at)).toBeGreaterThanOrEqual(2900);
  }, 20_000);
});

describe('429 from a destination', () => {
  async function eventTo(path: string, statuses: number[]): Promise<{ eventId: string; notifierId: string }> {
    answers.set(path, [...statuses]);
    const type = `limited.${path.slice(1)}`;
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: path, channel: 'webhook', target: { url: `${receiver.url}${path}` }, events: [type] },
    });
    expect(created.status).toBe(201);
    const posted = await herald.call('POST', '/v1/events', { key, body: { type } });
    return { eventId: posted.body.eventId, notifierId: created.body.notifier.id };
  }

  const settled = (eventId: string, status: string) =>
    eventually(
      async () => {
        const { body } = await herald.call('GET', `/v1/apps/shop/events/${eventId}`, { key: herald.adminKey });
        return body.deliveries[0]?.status === status && body.deliveries[0];
      },
      20_000,
      `a ${status} delivery`,
    );

  it('honours Retry-After without spending an attempt: three 429s, then sent', async () => {
    const { eventId } = await eventTo('/limited', [429, 429, 429]);
    const delivery = await settled(eventId, 'sent');
    const hits = receiver.requests.filter((r) => r.path === '/limited');
    expect(hits).toHaveLength(4);
    for (let i = 1; i < hits.length; i++) expect((hits[i]?.at as number) - (hits[i - 1]?.at as number)).toBeGreaterThanOrEqual(900);
    expect(delivery.attemptCount).toBe(4);
    expect(delivery.lastAttempt).toMatchObject({ outcome: 'sent', statusCode: 200 });
  }, 30_000);

  it('ends dead when the destination answers 429 for longer than the retry schedule', async () => {
    const { eventId } = await eventTo(
      '/always-limited',
      Array.from({ length: 30 }, () => 429),
    );
    const dead = await settled(eventId, 'dead');
    expect(dead.reason).toMatch(/^rate limited for \d+ s, longer than the retry schedule \(4 s\)/);
    expect(receiver.requests.filter((r) => r.path === '/always-limited').length).toBeGreaterThanOrEqual(4);
  }, 30_000);
});

describe("a notifier's rate", () => {
  it('is one an hour at the slowest and 1000/s at the fastest: 400 naming rate.perSecond, nothing created', async () => {
    const hook = { name: 'slow hook', channel: 'webhook', target: { url: `${receiver.url}/slow` }, events: ['slow.*'] };
    for (const perSecond of [1e-6, 1 / 3601, 1001]) {
      const res = await herald.call('POST', '/v1/apps/shop/notifiers', { key: herald.adminKey, body: { ...hook, rate: { perSecond } } });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe('rate.perSecond');
    }
    const { body } = await herald.call('GET', '/v1/apps/shop/notifiers?limit=100', { key: herald.adminKey });
    expect(body.notifiers.map((n: any) => n.name)).not.toContain('slow hook');
    const hourly = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { ...hook, rate: { perSecond: 1 / 3600 } },
    });
    expect(hourly.status).toBe(201);
  });
});
