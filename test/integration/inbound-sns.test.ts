import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TARGETS_WITH_SECRETS } from '../support/channel-targets.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { snsFixture } from '../support/inbound.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { signedSnsMessage, startSnsStandIn, type SnsStandIn } from '../support/sns-stand-in.js';

/**
 * Amazon SNS through the real inbound endpoint: an `sns` source's URL posted to as SNS
 * posts (`text/plain`, its `x-amz-sns-*` headers), every message signed with a generated
 * key whose certificate a local HTTPS stand-in of SNS serves (Herald told to trust that
 * host and its CA, as HERALD_SNS_ALLOWED_HOSTS and HERALD_SNS_CA_FILE do in local mode).
 * A subscription is confirmed only for a message that verifies; real CloudWatch alarm
 * messages (test/fixtures/sns) reach a webhook notifier and PagerDuty's stand-in.
 */

let herald: TestHerald;
let receiver: Receiver;
let sns: SnsStandIn;
let url: string;

beforeAll(async () => {
  sns = await startSnsStandIn();
  receiver = await startReceiver();
  herald = await startTestHerald({ snsStandIn: sns.trust });
  await herald.createApp('cloud', {
    notifiers: [
      {
        name: 'Alarms hook',
        channel: 'webhook',
        target: { url: `${receiver.url}/alarms` },
        events: ['alert.*', 'notification'],
        minSeverity: 'info',
      },
      { name: 'Pager', channel: 'pagerduty', target: TARGETS_WITH_SECRETS.pagerduty.target, events: ['alert.*'], minSeverity: 'warning' },
    ],
  });
  const created = await admin('POST', '/v1/apps/cloud/sources', { kind: 'sns', name: 'CloudWatch', topicArns: [TOPIC] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body).not.toHaveProperty('secret');
  url = created.body.source.url;
  herald.startDelivering();
});
afterAll(async () => {
  await herald?.stop();
  await receiver?.close();
  await sns?.close();
});
beforeEach(() => {
  sns.gets.length = 0;
});

/** The topic the source takes; every fixture is signed as sent on it unless a test says otherwise. */
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:cloudwatch-alarms';

const admin = (method: string, path: string, body?: unknown) =>
  herald.call(method, path, { key: herald.adminKey, ...(body ? { body } : {}) });

/** A fixture signed by the stand-in's SNS key, its certificate at the stand-in, with fields changed as given. */
const signed = (name: string, fields: Record<string, string> = {}, certUrl = sns.certUrl, key = sns.keys.sns) =>
  signedSnsMessage(name, { certUrl, key, fields: { TopicArn: TOPIC, ...fields } });

/** Posts a message to a source's URL as SNS does: the JSON as text/plain, with its headers, no key. */
async function deliver(to: string, message: Record<string, string>) {
  const res = await fetch(to, {
    method: 'POST',
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': message['Type'] as string,
      'x-amz-sns-message-id': message['MessageId'] as string,
      'x-amz-sns-topic-arn': message['TopicArn'] as string,
      ...(message['Type'] === 'Notification'
        ? { 'x-amz-sns-subscription-arn': `${message['TopicArn']}:3b4e1ad2-0f1c-4d7e-9c55-6d2b8c1e7a10` }
        : {}),
    },
    body: JSON.stringify(message),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** What the webhook was told about an alarm (by its name in the title). */
const told = (name: string) =>
  receiver.requests.filter((r) => r.path === '/alarms' && r.body.includes(`\\"${name}\\"`)).map((r) => JSON.parse(r.body));
const paged = (name: string) => herald.standIns.delivered('pagerduty').filter((d: any) => JSON.stringify(d).includes(name)) as any[];
const storedEvents = async () => (await admin('GET', '/v1/apps/cloud/events?limit=100')).body.events.length as number;

/** The OK fixture's alarm (ec2CPUUtilization) as it fired before: the same message with its state turned back, as CloudWatch sends it. */
function ec2CpuAlarm(): Record<string, string> {
  const ok = snsFixture('cloudwatch-ok.json');
  const alarm = { ...JSON.parse(ok['Message'] as string), NewStateValue: 'ALARM', OldStateValue: 'OK' };
  alarm.NewStateReason =
    'Threshold Crossed: 1 out of the last 1 datapoints [7.2 (18/06/21 04:13:00)] was greater than the threshold (5.5).';
  return {
    MessageId: 'c1f0a9e4-5b7d-5f0e-9a36-0d6a5c1b2e77',
    Subject: 'ALARM: "ec2CPUUtilization" in Asia Pacific (Tokyo)',
    Timestamp: new Date(Date.now() - 15 * 60_000).toISOString(), // fired a quarter of an hour before the OK
    Message: JSON.stringify(alarm),
  };
}

describe('the subscription', () => {
  it('is confirmed for a signed SubscriptionConfirmation: 200, and one GET of its SubscribeURL at SNS', async () => {
    const confirmation = signed('subscription-confirmation.json', { SubscribeURL: sns.subscribeUrl() });
    const res = await deliver(url, confirmation);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ confirmed: TOPIC });
    expect(sns.confirms()).toEqual([`${sns.host}/confirm`]);
  });

  it('is not confirmed for a confirmation with one character changed: 401, no GET of its SubscribeURL', async () => {
    const confirmation = signed('subscription-confirmation.json', { SubscribeURL: sns.subscribeUrl('t2') });
    const tampered = { ...confirmation, Message: confirmation['Message']!.replace('subscribe', 'subscribd') };
    const res = await deliver(url, tampered);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/signature does not verify/);
    expect(sns.confirms()).toEqual([]);
  });

  it('is not confirmed for a confirmation whose certificate is on a host that is not SNS: 401, nothing fetched', async () => {
    const forged = signed(
      'subscription-confirmation.json',
      { SubscribeURL: sns.subscribeUrl('t3') },
      `https://${sns.foreignHost}/attacker.pem`,
      sns.keys.attacker,
    );
    const res = await deliver(url, forged);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/is not an Amazon SNS host/);
    expect(sns.gets).toEqual([]);
  });
});

describe('CloudWatch alarms', () => {
  it('ALARM is a problem: told to the webhook, a PagerDuty incident triggered; the same MessageId again is a duplicate, sent nowhere', async () => {
    const alarm = signed('cloudwatch-alarm.json');
    const res = await deliver(url, alarm);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ events: 1, duplicate: false });
    const [problem] = await eventually(async () => told('bucketbytesAlarm')[0] && told('bucketbytesAlarm'));
    expect(problem).toMatchObject({ event_type: 'alert.firing', severity: 'critical', title: 'ALARM: "bucketbytesAlarm" in EU (Ireland)' });
    expect(problem.message).toContain('Metric: AWS/S3 BucketSizeBytes');
    const [incident] = await eventually(async () => paged('bucketbytesAlarm')[0] && paged('bucketbytesAlarm'));
    expect(incident).toMatchObject({ event_action: 'trigger', incident: 'triggered' });

    const again = await deliver(url, alarm);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ events: 1, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(told('bucketbytesAlarm')).toHaveLength(1);
    expect(paged('bucketbytesAlarm')).toHaveLength(1);
  });

  it('OK is the recovery of the alarm that fired: told to the webhook, its PagerDuty incident resolved', async () => {
    expect((await deliver(url, signed('cloudwatch-ok.json', ec2CpuAlarm()))).status).toBe(202);
    const [incident] = await eventually(async () => paged('ec2CPUUtilization')[0] && paged('ec2CPUUtilization'));
    expect(incident).toMatchObject({ event_action: 'trigger', incident: 'triggered' });

    const ok = await deliver(url, signed('cloudwatch-ok.json'));
    expect(ok.status, JSON.stringify(ok.body)).toBe(202);
    const recovery = await eventually(async () => told('ec2CPUUtilization').find((e) => e.event_type === 'alert.resolved'));
    expect(recovery).toMatchObject({ title: 'OK: "ec2CPUUtilization" in Asia Pacific (Tokyo)' });
    expect(recovery.data).toMatchObject({ check: 'arn:aws:cloudwatch:ap-northeast-1:257706363616:alarm:ec2CPUUtilization', status: 'OK' });
    const resolved = await eventually(async () =>
      paged('ec2CPUUtilization').find((d) => d.event_action === 'resolve' && d.dedup_key === incident.dedup_key),
    );
    expect(resolved).toMatchObject({ incident: 'resolved' });
  });

  it('INSUFFICIENT_DATA is a warning', async () => {
    expect((await deliver(url, signed('cloudwatch-insufficient-data.json'))).status).toBe(202);
    const [warning] = await eventually(async () => told('notificationCountAlarm')[0] && told('notificationCountAlarm'));
    expect(warning).toMatchObject({ event_type: 'alert.firing', severity: 'warning' });
    expect(warning.title).toContain('INSUFFICIENT_DATA');
  });
});

describe('other messages and topics', () => {
  it('a plain notification is a `notification` event with its subject', async () => {
    expect((await deliver(url, signed('notification.json'))).status).toBe(202);
    const hello = await eventually(async () =>
      receiver.requests
        .filter((r) => r.path === '/alarms')
        .map((r) => JSON.parse(r.body))
        .find((e) => e.event_type === 'notification'),
    );
    expect(hello).toMatchObject({ title: 'My First Message', message: 'Hello world!', data: { subject: 'My First Message' } });
  });

  it('a source must name its topics: SNS signs for any AWS account, so one without is refused', async () => {
    const open = await admin('POST', '/v1/apps/cloud/sources', { kind: 'sns', name: 'Any topic' });
    expect(open.status).toBe(400);
    expect(open.body.error.details).toEqual([expect.objectContaining({ path: 'topicArns' })]);
  });

  it('a source takes only its topics: another is 403, nothing stored, no subscription confirmed', async () => {
    const only = await admin('POST', '/v1/apps/cloud/sources', {
      kind: 'sns',
      name: 'EC2 topic only',
      topicArns: ['arn:aws:sns:ap-northeast-1:257706363616:aws-sns-topic'],
    });
    expect(only.status, JSON.stringify(only.body)).toBe(201);
    const before = await storedEvents();
    const other = signed('notification.json', { MessageId: '5e1c2a7b-7d0e-4a43-9a51-1f0b9c3d2e61', Subject: 'Not this topic' });
    const res = await deliver(only.body.source.url, other);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(TOPIC);
    expect(await storedEvents()).toBe(before);
    expect(receiver.requests.some((r) => r.body.includes('Not this topic'))).toBe(false);
    // An attacker's topic subscribing the source's URL: never confirmed.
    const theirs = signed('subscription-confirmation.json', {
      SubscribeURL: sns.subscribeUrl(),
      TopicArn: 'arn:aws:sns:us-east-1:999999999999:attacker',
    });
    expect((await deliver(only.body.source.url, theirs)).status).toBe(403);
    expect(sns.confirms()).toEqual([]);
  });
});
