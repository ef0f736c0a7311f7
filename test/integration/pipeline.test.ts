import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../shared/telemetry.js';
import { eventually, signatureVerifies, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { captureLogLines } from '../support/log-lines.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let herald: TestHerald;
let receiver: Receiver;
let ingestKey: string;

const setUpApp = (h: TestHerald, id: string, notifiers: object[]): Promise<string> =>
  h.createApp(id, { name: `App ${id}`, owner: `owner@${id}.example`, notifiers });

const deliveriesOf = async (h: TestHerald, appId: string, eventId: string) =>
  (await h.call('GET', `/v1/apps/${appId}/events/${eventId}`, { key: h.adminKey })).body.deliveries as any[];

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  ingestKey = await setUpApp(herald, 'shop', [
    { name: 'Ops mail', channel: 'email', target: { to: ['ops@shop.example'] }, events: ['@deployment'] },
    { name: 'On-call SMS', channel: 'sms', target: { to: ['+4915112345678'] }, events: ['app_deployed'] },
    { name: 'Slack', channel: 'slack', target: { url: `${receiver.url}/services/T1/B2/token` }, events: ['app_*'] },
    { name: 'Hook', channel: 'webhook', target: { url: `${receiver.url}/hook`, secret: SECRET }, events: ['*'], minSeverity: 'info' },
  ]);
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

describe('an event reaches every channel', () => {
  it('delivers one event by email, SMS, Slack and a signed webhook, and logs four sent deliveries', async () => {
    receiver.requests.length = 0;
    const posted = await herald.call('POST', '/v1/events', {
      key: ingestKey,
      body: {
        type: 'app_deployed',
        title: 'Deployed v42',
        message: 'Deployment of shop succeeded',
        data: { commit: 'ac77098' },
        occurredAt: '2026-11-24T10:00:00Z',
      },
    });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ deliveries: 4, duplicate: false });

    const deliveries = await eventually(
      async () => {
        const ds = await deliveriesOf(herald, 'shop', posted.body.eventId);
        return ds.length === 4 && ds.every((d) => d.status === 'sent') && ds;
      },
      15_000,
      'four sent deliveries',
    );
    expect(deliveries.map((d) => d.channel).sort()).toEqual(['email', 'slack', 'sms', 'webhook']);
    for (const d of deliveries)
      expect(d.attempts).toEqual([expect.objectContaining({ n: 1, outcome: 'sent', latencyMs: expect.any(Number) })]);

    const hook = receiver.requests.find((r) => r.path === '/hook');
    const body = JSON.parse(hook?.body ?? '{}');
    expect(body).toMatchObject({
      event_id: posted.body.eventId,
      event_type: 'app_deployed',
      app: { id: 'shop' },
      data: { commit: 'ac77098' },
    });
    expect(signatureVerifies(SECRET, hook)).toBe(true);
    expect(hook?.headers['webhook-id']).toBe(deliveries.find((d) => d.channel === 'webhook').id);

    const slack = JSON.parse(receiver.requests.find((r) => r.path === '/services/T1/B2/token')?.body ?? '{}');
    expect(slack.text).toContain('Deployed v42');
    expect(Array.isArray(slack.blocks)).toBe(true);

    const outbox = await herald.call('GET', '/_local/outbox/email');
    const mail = outbox.body.emails.find((e: any) => e.destination.to.includes('ops@shop.example') && e.subject.includes('Deployed v42'));
    expect(mail.body.text).toContain('app_deployed');
    const sms = (await herald.call('GET', '/_local/outbox/sms')).body.messages;
    expect(sms.find((m: any) => m.phoneNumber === '+4915112345678')?.message).toContain('Deployed v42');

    const log = await herald.call('GET', `/v1/apps/shop/deliveries?eventId=${posted.body.eventId}&status=sent`, { key: herald.adminKey });
    expect(log.body.deliveries).toHaveLength(4);
    expect(log.body.deliveries.find((d: any) => d.channel === 'slack').recipient).not.toContain('token');
  });

  it('records a permanent failure (410) as failed and does not retry it', async () => {
    const key = await setUpApp(herald, 'gone', [
      { name: 'Gone', channel: 'webhook', target: { url: `${receiver.url}/gone` }, events: ['x.gone'] },
    ]);
    receiver.respond((r) => ({ status: r.path === '/gone' ? 410 : 200 }));
    const posted = await herald.call('POST', '/v1/events', { key, body: { type: 'x.gone' } });
    const [failed] = await eventually(
      async () => {
        const ds = await deliveriesOf(herald, 'gone', posted.body.eventId);
        return ds[0]?.status === 'failed' && ds;
      },
      10_000,
      'a failed delivery',
    );
    expect(failed.reason).toContain('HTTP 410');
    expect(failed.attempts).toEqual([expect.objectContaining({ n: 1, outcome: 'failed', statusCode: 410 })]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.requests.filter((r) => r.path === '/gone')).toHaveLength(1);
    receiver.respond(() => ({ status: 200 }));
  });

  it('records a transient failure (503) as retrying, with the attempt', async () => {
    const key = await setUpApp(herald, 'flaky', [
      { name: 'Flaky', channel: 'slack', target: { url: `${receiver.url}/flaky` }, events: ['x.flaky'] },
    ]);
    receiver.respond((r) => ({ status: r.path === '/flaky' ? 503 : 200 }));
    const posted = await herald.call('POST', '/v1/events', { key, body: { type: 'x.flaky' } });
    const [retrying] = await eventually(
      async () => {
        const ds = await deliveriesOf(herald, 'flaky', posted.body.eventId);
        return ds[0]?.status === 'retrying' && ds;
      },
      10_000,
      'a retrying delivery',
    );
    expect(retrying.attempts).toEqual([
      expect.objectContaining({ n: 1, outcome: 'retrying', statusCode: 503, error: expect.stringContaining('HTTP 503') }),
    ]);
    receiver.respond(() => ({ status: 200 }));
  });
});

describe('a channel function', () => {
  let quiet: TestHerald;
  let key: string;
  beforeAll(async () => {
    quiet = await startTestHerald({ emulators: herald.emulators });
    key = await setUpApp(quiet, 'twice', [
      { name: 'Hook', channel: 'webhook', target: { url: `${receiver.url}/twice` }, events: ['x.twice'] },
    ]);
  });
  afterAll(() => quiet.stop());

  it('sends a message received twice only once, and writes one log line per attempt', async () => {
    const posted = await quiet.call('POST', '/v1/events', { key, body: { type: 'x.twice' } });
    const received = await quiet.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: quiet.queues.webhook.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }),
    );
    const [message] = received.Messages ?? [];
    expect(message).toBeDefined();
    const event: SQSEvent = {
      Records: [
        {
          messageId: message?.MessageId as string,
          receiptHandle: message?.ReceiptHandle as string,
          body: message?.Body as string,
          attributes: {} as never,
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn',
          awsRegion: 'us-east-1',
        },
      ],
    };

    const { lines, restore } = captureLogLines();
    logger.setLogLevel('DEBUG'); // a sent attempt's line is DEBUG
    try {
      expect(await quiet.channelHandlers.webhook(event)).toEqual({ batchItemFailures: [] });
      expect(await quiet.channelHandlers.webhook(event)).toEqual({ batchItemFailures: [] });
    } finally {
      logger.setLogLevel('ERROR');
      restore();
    }
    expect(receiver.requests.filter((r) => r.path === '/twice')).toHaveLength(1);
    const [delivery] = await deliveriesOf(quiet, 'twice', posted.body.eventId);
    expect(delivery.status).toBe('sent');
    expect(delivery.attempts).toHaveLength(1);

    const attempts = lines
      .flatMap((l) => l.split('\n'))
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((l) => l.message === 'delivery attempt' && l.eventId === posted.body.eventId); // other tests' retries log too
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      appId: 'twice',
      eventId: posted.body.eventId,
      deliveryId: delivery.id,
      notifierId: delivery.notifierId,
      channel: 'webhook',
      attempt: 1,
      outcome: 'sent',
      latencyMs: expect.any(Number),
    });
  });
});

describe('several notifiers changing one event', () => {
  it('gives each notifier its own "bad behavior" when their throttles differ and both reach limit+1 on one event', async () => {
    const key = await setUpApp(herald, 'noisy', [
      {
        name: 'per minute',
        channel: 'webhook',
        target: { url: `${receiver.url}/bb-60` },
        events: ['app_crashed'],
        throttle: { limit: 2, windowSeconds: 60 },
      },
      {
        name: 'per 2 min',
        channel: 'webhook',
        target: { url: `${receiver.url}/bb-120` },
        events: ['app_crashed'],
        throttle: { limit: 2, windowSeconds: 120 },
      },
    ]);
    for (let i = 0; i < 3; i++) await herald.call('POST', '/v1/events', { key, body: { type: 'app_crashed', message: 'TypeError' } });
    const titleAt = (path: string) =>
      eventually(
        async () => receiver.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body))[1]?.title,
        15_000,
        `a bad behavior at ${path}`,
      );
    expect(await titleAt('/bb-60')).toBe('app_crashed happened 3 times in 60 s');
    expect(await titleAt('/bb-120')).toBe('app_crashed happened 3 times in 120 s');
  });
});
