import { SQSClient, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApi } from '../../functions/api/api.js';
import { apiDeps } from '../../shared/aws/api-wiring.js';
import { heraldDeps } from '../../shared/aws/wiring.js';
import { decodeMessageBody } from '../../shared/aws/sqs-message-body.js';
import { channelFunction } from '../../shared/channel-function.js';
import { sender as webhook } from '../../shared/channels/webhook/webhook/sender.js';
import { SWEEPER } from '../../shared/resources.js';
import { sendTestNotification } from '../../shared/services/notifier-test.js';
import { sweep } from '../../shared/services/sweeper.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * Fault tests, against the emulators and a local receiver, with a short retry schedule:
 * waits of 1 s, so that 4 attempts in all.
 */
let herald: TestHerald;
let receiver: Receiver;
let key: string;
const answers = new Map<string, number[]>(); // path → statuses to answer, in turn; then 200

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.respond((req) => {
    const path = req.path.split('?')[0] as string;
    const status = answers.get(path)?.shift() ?? 200;
    return { status, headers: status === 429 ? { 'retry-after': '2' } : ({} as Record<string, string>) };
  });
  herald = await startTestHerald({ retrySchedule: [1, 1, 1] });
  key = await herald.createApp('shop');
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

/** A webhook notifier for one path, and an event for it; resolves to the event id. */
async function eventTo(path: string, statuses: number[] = []): Promise<string> {
  answers.set(path, [...statuses]);
  const type = `fault.${path.slice(1)}`;
  const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
    key: herald.adminKey,
    body: { name: path, channel: 'webhook', target: { url: `${receiver.url}${path}` }, events: [type] },
  });
  expect(created.status).toBe(201);
  const posted = await herald.call('POST', '/v1/events', { key, body: { type } });
  expect(posted.body.deliveries).toBe(1);
  return posted.body.eventId;
}

async function settled(eventId: string, status: string, timeoutMs = 15_000): Promise<any> {
  return eventually(
    async () => {
      const { body } = await herald.call('GET', `/v1/apps/shop/events/${eventId}`, { key: herald.adminKey });
      return body.deliveries[0]?.status === status && body.deliveries[0];
    },
    timeoutMs,
    `a ${status} delivery`,
  );
}

const hits = (path: string) => receiver.requests.filter((r) => r.path === path);

describe('retries', () => {
  it('delivers once after two 500s, with three attempts in the log', async () => {
    const delivery = await settled(await eventTo('/flaky', [500, 500]), 'sent');
    expect(delivery.attempts.map((a: any) => [a.n, a.outcome, a.statusCode])).toEqual([
      [1, 'retrying', 500],
      [2, 'retrying', 500],
      [3, 'sent', 200],
    ]);
    expect(hits('/flaky')).toHaveLength(3);
    expect(new Set(hits('/flaky').map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('waits at least Retry-After before the next attempt', async () => {
    const delivery = await settled(await eventTo('/throttled', [429]), 'sent');
    const [first, second] = delivery.attempts;
    expect(first.statusCode).toBe(429);
    expect(Date.parse(second.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(2000);
  });

  it.each([404, 410])('ends a delivery answered %i as failed after one attempt', async (status) => {
    const path = `/refused${status}`;
    const delivery = await settled(await eventTo(path, [status]), 'failed');
    expect(delivery.attempts).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(hits(path)).toHaveLength(1);
  });
});

describe('dead letters', () => {
  it('dead-letters a delivery to a receiver that stays down, and redrives it once it is back', async () => {
    const eventId = await eventTo('/down', [503, 503, 503, 503]);
    const dead = await settled(eventId, 'dead');
    expect(dead.attempts).toHaveLength(4);
    expect(dead.reason).toContain('gave up after 4 attempts');
    const dlq = await herald.call('GET', '/v1/dlq', { key: herald.adminKey });
    expect(dlq.body.channels.webhook.messages).toBe(1);
    expect(dlq.body.channels.email.messages).toBe(0);

    const redriven = await herald.call('POST', '/v1/dlq/webhook/redrive', { key: herald.adminKey });
    expect(redriven.body).toEqual({ moved: 1 });
    const sent = await settled(eventId, 'sent');
    expect(sent.attempts.map((a: any) => a.outcome)).toEqual(['retrying', 'retrying', 'retrying', 'failed', 'sent']);
    expect(hits('/down').filter((r) => r.headers['webhook-id'] === sent.id)).toHaveLength(5);
    expect((await herald.call('GET', '/v1/dlq', { key: herald.adminKey })).body.channels.webhook.messages).toBe(0);
  });

  it('refuses to redrive an unknown channel', async () => {
    const res = await herald.call('POST', '/v1/dlq/pigeon/redrive', { key: herald.adminKey });
    expect(res.status).toBe(400);
  });
});

describe('a channel function driven by hand', () => {
  let quiet: TestHerald;
  beforeAll(async () => {
    quiet = await startTestHerald({ emulators: herald.emulators, retrySchedule: [1, 1, 1] });
    key2 = await quiet.createApp('quiet', {
      notifiers: ['/batch-a', '/batch-b', '/batch-c', '/crash', '/disabled-later'].map((path) => ({
        name: path,
        channel: 'webhook',
        target: { url: `${receiver.url}${path}` },
        events: [`x${path.replace('/', '.')}`],
      })),
    });
  });
  afterAll(() => quiet.stop());
  let key2 = '';

  const receiveAll = async (n: number) => {
    const messages = [];
    while (messages.length < n) {
      const out = await quiet.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: quiet.queues.webhook.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      messages.push(...(out.Messages ?? []));
    }
    return messages;
  };
  /** Receive from the webhook queue until the message of this event comes (others come back later). */
  const receiveFor = async (eventId: string) => {
    for (;;) {
      const out = await quiet.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: quiet.queues.webhook.url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          VisibilityTimeout: 5,
        }),
      );
      const mine = (out.Messages ?? []).find((m) => deliveriesIn(m)[0]?.delivery.eventId === eventId);
      if (mine) return mine;
    }
  };
  /** The deliveries a queue message carries (the queue's own encoding). */
  const deliveriesIn = (m: { Body?: string }) => decodeMessageBody(m.Body ?? '');
  const asEvent = (messages: { MessageId?: string; ReceiptHandle?: string; Body?: string }[]): SQSEvent =>
    ({
      Records: messages.map((m) => ({
        messageId: m.MessageId,
        receiptHandle: m.ReceiptHandle,
        body: m.Body,
        attributes: {},
        messageAttributes: {},
      })),
    }) as unknown as SQSEvent;

  it('retries only the record of a batch that failed', async () => {
    answers.set('/batch-b', [500]);
    for (const t of ['x.batch-a', 'x.batch-b', 'x.batch-c']) await quiet.call('POST', '/v1/events', { key: key2, body: { type: t } });
    const messages = await receiveAll(3);
    const failing = messages.find((m) => deliveriesIn(m)[0]?.delivery.recipient.endsWith('/batch-b'));
    const result = await quiet.channelHandlers.webhook(asEvent(messages));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: failing?.MessageId }] });
    expect([hits('/batch-a').length, hits('/batch-b').length, hits('/batch-c').length]).toEqual([1, 1, 1]);
  });

  it('sends once when a crash after the send makes SQS hand the message over again', async () => {
    await quiet.call('POST', '/v1/events', { key: key2, body: { type: 'x.crash' } });
    const [message] = await receiveAll(1);
    // The function dies after the send, before it records it: every DynamoDB write after the claim fails.
    const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: quiet.emulators.dynamodb });
    let writes = 0;
    dynamodb.middlewareStack.add(
      (next) => async (args) => {
        if (++writes > 1) throw new Error('the function crashed');
        return next(args);
      },
      { step: 'initialize' },
    );
    const crashing = channelFunction('webhook', [webhook], quiet.config, {}, { dynamodb });
    expect((await crashing(asEvent([message!]))).batchItemFailures).toHaveLength(1);
    // SQS hands the same message over again, to a healthy instance, twice.
    expect(await quiet.channelHandlers.webhook(asEvent([message!]))).toEqual({ batchItemFailures: [] });
    expect(await quiet.channelHandlers.webhook(asEvent([message!]))).toEqual({ batchItemFailures: [] });
    expect(hits('/crash')).toHaveLength(1);
  });

  it('ends the delivery of a notifier disabled meanwhile as failed, instead of retrying it', async () => {
    answers.set('/disabled-later', [503, 503, 503, 503]);
    const posted = await quiet.call('POST', '/v1/events', { key: key2, body: { type: 'x.disabled-later' } });
    const message = await receiveFor(posted.body.eventId);
    await expect(quiet.channelHandlers.webhook(asEvent([message]))).resolves.toMatchObject({ batchItemFailures: [{}] });
    const list = await quiet.call('GET', '/v1/apps/quiet/notifiers?limit=100', { key: quiet.adminKey });
    const notifier = list.body.notifiers.find((n: any) => n.name === '/disabled-later');
    expect(notifier.failingSince).toEqual(expect.any(String));
    await quiet.call('PATCH', `/v1/apps/quiet/notifiers/${notifier.id}`, { key: quiet.adminKey, body: { enabled: false } });
    // The message comes back when its retry is due; an instance whose 30 s cache is fresh takes it.
    const again = await receiveFor(posted.body.eventId);
    await channelFunction('webhook', [webhook], quiet.config, {})(asEvent([again]));
    const { body } = await quiet.call('GET', `/v1/apps/quiet/events/${posted.body.eventId}`, { key: quiet.adminKey });
    expect(body.deliveries[0]).toMatchObject({ status: 'failed', reason: 'the notifier is disabled' });
    expect(hits('/disabled-later')).toHaveLength(1);
  });

  it('sends each delivery once when reading one notifier fails, however its siblings went', async () => {
    const ids: string[] = [];
    for (const path of ['/read-p', '/read-q']) {
      const res = await quiet.call('POST', '/v1/apps/quiet/notifiers', {
        key: quiet.adminKey,
        body: { name: path, channel: 'webhook', target: { url: `${receiver.url}${path}` }, events: ['x.read'] },
      });
      ids.push(res.body.notifier.id);
    }
    const posted = await quiet.call('POST', '/v1/events', { key: key2, body: { type: 'x.read' } });
    expect(posted.body.deliveries).toBe(2);
    const message = await receiveFor(posted.body.eventId);
    // An instance with a cold cache whose read of the second notifier fails once (a DynamoDB error).
    const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: quiet.emulators.dynamodb });
    let failed = false;
    dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        if (!failed && context.commandName === 'GetItemCommand' && JSON.stringify(args.input).includes(ids[1] as string)) {
          failed = true;
          throw new Error('ProvisionedThroughputExceededException');
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    expect(
      (await channelFunction('webhook', [webhook], quiet.config, {}, { dynamodb })(asEvent([message]))).batchItemFailures,
    ).toHaveLength(1);
    expect(failed).toBe(true);
    // SQS hands the message over again, past the time a claim of a function that died is taken over.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      expect(await quiet.channelHandlers.webhook(asEvent([message]))).toEqual({ batchItemFailures: [] });
    } finally {
      vi.useRealTimers();
    }
    expect(hits('/read-p')).toHaveLength(1);
    expect(hits('/read-q')).toHaveLength(1);
  });
});

describe('nothing stranded', () => {
  it('sends a delivery whose enqueue failed once the sweeper runs', async () => {
    await eventTo('/swept-setup'); // a notifier for the type below, via the healthy API
    const notifier = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'swept', channel: 'webhook', target: { url: `${receiver.url}/swept` }, events: ['fault.swept'] },
    });
    expect(notifier.status).toBe(201);
    // An api instance whose SQS is unreachable: the records are written, the enqueue fails.
    const broken = await apiDeps(herald.config, {
      sqs: new SQSClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }),
    });
    const res = await createApi(broken).request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'fault.swept' }),
    });
    expect(res.status).toBe(202);
    const { eventId } = (await res.json()) as { eventId: string };
    await new Promise((r) => setTimeout(r, 1500));
    expect(hits('/swept')).toHaveLength(0);
    expect((await settled(eventId, 'queued')).attempts).toEqual([]);

    // Ten minutes on, with the queue still refusing, it would have been sent long ago: overdue (the alarm's metric).
    const tenMinutesOn = { ...heraldDeps(herald.config), clock: () => new Date(Date.now() + 10 * 60_000) };
    const swept = await sweep(tenMinutesOn, { ...SWEEPER });
    expect(swept.requeued).toBeGreaterThanOrEqual(1);
    expect(swept.overdue).toBeGreaterThanOrEqual(1);
    await settled(eventId, 'sent');
    expect(hits('/swept')).toHaveLength(1);
  });
});

describe('a test notification not queued for now', () => {
  it('arrives once the sweeper runs, instead of ending failed', async () => {
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'tested', channel: 'webhook', target: { url: `${receiver.url}/tested` }, events: ['fault.tested'] },
    });
    // An api instance whose SQS is unreachable: a transient refusal.
    const broken = await apiDeps(herald.config, {
      sqs: new SQSClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }),
    });
    const delivery = await sendTestNotification(broken, 'shop', created.body.notifier.id);
    expect(delivery?.status).toBe('queued');
    await sweep(heraldDeps(herald.config), { ...SWEEPER });
    await eventually(async () => hits('/tested').length === 1, 10_000, 'the test notification');
  });
});

describe('stop when it no longer makes sense', () => {
  it('disables a notifier whose endpoint has failed for the configured days, tells the owner, and resumes when enabled again', async () => {
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'long-dead', channel: 'webhook', target: { url: `${receiver.url}/long-dead` }, events: ['fault.long-dead'] },
    });
    const id = created.body.notifier.id;
    await herald.deps.notifiers.markFailing('shop', id, new Date(Date.now() - 6 * 86_400_000).toISOString());
    const result = await sweep(heraldDeps(herald.config), { ...SWEEPER, graceSeconds: 3600 });
    expect(result.disabled).toBe(1);
    const read = (await herald.call('GET', `/v1/apps/shop/notifiers/${id}`, { key: herald.adminKey })).body.notifier;
    expect(read).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('every delivery has failed since') });
    const mail = await eventually(
      async () => {
        const { body } = await herald.call('GET', '/_local/outbox/email');
        return body.emails.find((m: any) => m.destination.to.includes('o@shop.example') && m.subject.includes('long-dead'));
      },
      10_000,
      'the mail to the owner',
    );
    expect(mail.subject).toContain('was disabled');

    const enabled = await herald.call('PATCH', `/v1/apps/shop/notifiers/${id}`, { key: herald.adminKey, body: { enabled: true } });
    expect(enabled.body.notifier.enabled).toBe(true);
    expect(enabled.body.notifier.failingSince).toBeUndefined();
    expect(enabled.body.notifier.disabledReason).toBeUndefined();
    const posted = await herald.call('POST', '/v1/events', { key, body: { type: 'fault.long-dead' } });
    await settled(posted.body.eventId, 'sent');
  });
});
