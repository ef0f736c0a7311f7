import { describe, expect, it } from 'vitest';
import type { Inbound, InboundEvent, InboundRequest, SourceSettings } from '../../../shared/core/inbound/inbound.js';
import { readSnsInbound, stringToSign, parseSnsMessage, type SnsMessage, type SnsVerifier } from '../../../shared/core/inbound/sns.js';
import { isHealthy, stateOf } from '../../../shared/core/state-change.js';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../../../shared/errors.js';
import { refusal, snsFixture } from '../../support/inbound.js';
import { EventInput } from '../../../shared/schemas/event.js';

const fixture = (name: string): Record<string, unknown> => snsFixture(name);

/** A request as SNS posts it: the JSON body as text/plain, its type, id and topic in headers too. */
function requestOf(body: Record<string, unknown>, headers: Record<string, string> = {}): InboundRequest {
  return {
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'x-amz-sns-message-type': String(body['Type']),
      'x-amz-sns-message-id': String(body['MessageId']),
      'x-amz-sns-topic-arn': String(body['TopicArn']),
      ...headers,
    },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** A verifier that accepts everything and remembers what it was asked: the signature checks have their own test. */
function trustingVerifier() {
  const verified: SnsMessage[] = [];
  const verifier: SnsVerifier = {
    verify: async (message) => void verified.push(message),
    confirmSubscription: async () => {},
  };
  return { verifier, verified };
}

/** A fixture is read at the time it was signed: SNS posts at once. */
const timeOf = (body: Record<string, unknown>) => new Date(Date.parse(String(body['Timestamp'] ?? '')) || Date.now());

async function read(body: Record<string, unknown>, settings: SourceSettings = {}): Promise<Inbound> {
  return readSnsInbound(requestOf(body), { settings }, trustingVerifier().verifier, timeOf(body));
}

async function eventOf(body: Record<string, unknown>, settings: SourceSettings = {}): Promise<InboundEvent> {
  const inbound = await read(body, settings);
  if (inbound.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(inbound)}`);
  expect(inbound.events).toHaveLength(1);
  const event = inbound.events[0] as InboundEvent;
  // What the lead's endpoint ingests must be what POST /v1/events takes.
  expect(EventInput.safeParse(event).error).toBeUndefined();
  return event;
}

/** A notification whose Message is `alarm` (an alarm of a fixture, changed). */
const withMessage = (body: Record<string, unknown>, message: string) => ({ ...body, Message: message });
const alarmOf = (name: string) => JSON.parse(String(fixture(name)['Message'])) as Record<string, unknown>;

describe('a CloudWatch alarm published to SNS', () => {
  it('ALARM is a critical alert.firing, with the alarm, its reason, metric and threshold, keyed by the SNS MessageId', async () => {
    const event = await eventOf(fixture('cloudwatch-alarm.json'));
    expect(event).toMatchObject({
      type: 'alert.firing',
      severity: 'critical',
      id: 'e288882d-4281-5be4-8fde-dccc11c8cb01',
      title: 'ALARM: "bucketbytesAlarm" in EU (Ireland)',
      occurredAt: '2019-02-15T23:53:45.093+00:00',
      // An alarm without AlarmArn (older messages): its name is the check.
      data: { check: 'bucketbytesAlarm', status: 'ERROR', AWSAccountId: '1234567890', OldStateValue: 'INSUFFICIENT_DATA' },
    });
    expect(event.message).toBe(
      [
        'Threshold Crossed: 1 datapoint [1062305.0 (14/02/19 23:53:00)] was greater than or equal to the threshold (0.0).',
        'Metric: AWS/S3 BucketSizeBytes (StorageType=StandardStorage, BucketName=try.alerta.io), AVERAGE over 86400 s',
        'Threshold: >= 0',
        'bucket bytes size exceeded',
      ].join('\n'),
    );
    expect(event.data?.['Trigger']).toMatchObject({
      Namespace: 'AWS/S3',
      Dimensions: [
        { value: 'StandardStorage', name: 'StorageType' },
        { value: 'try.alerta.io', name: 'BucketName' },
      ],
    });
  });

  it('OK is its alert.resolved, on the same check, so that Herald tells the recovery to whoever got the failure', async () => {
    const ok = fixture('cloudwatch-ok.json');
    const resolved = await eventOf(ok);
    expect(resolved).toMatchObject({
      type: 'alert.resolved',
      severity: 'info',
      id: 'd22096fc-c983-57a6-805d-cfbaeaa69dde',
      title: 'OK: "ec2CPUUtilization" in Asia Pacific (Tokyo)',
      data: { check: 'arn:aws:cloudwatch:ap-northeast-1:257706363616:alarm:ec2CPUUtilization', status: 'OK' },
    });
    expect(resolved.message).toContain('Metric: AWS/EC2 CPUUtilization (AutoScalingGroupName=eks-6ebcce7e-400b-8a69-f0e9-d9e14bb635d2)');
    expect(resolved.message).toContain('Threshold: > 5.5');

    // The same alarm's ALARM before it (the OK message with its state changed back).
    const firing = await eventOf({
      ...withMessage(ok, JSON.stringify({ ...alarmOf('cloudwatch-ok.json'), NewStateValue: 'ALARM' })),
      MessageId: 'another-message',
    });
    const [down, up] = [stateOf(firing), stateOf(resolved)];
    expect(down?.key).toBe(up?.key);
    expect([isHealthy(down?.status ?? ''), isHealthy(up?.status ?? '')]).toEqual([false, true]);
  });

  it('INSUFFICIENT_DATA is a warning by default; a problem or nothing, as the source says', async () => {
    const body = fixture('cloudwatch-insufficient-data.json');
    expect(await eventOf(body)).toMatchObject({
      type: 'alert.firing',
      severity: 'warning',
      title: 'INSUFFICIENT_DATA: "notificationCountAlarm" in EU (Ireland)',
      message: expect.stringMatching(/^Insufficient Data: 10 datapoints were unknown\.\nMetric: AWS\/SNS NumberOfNotificationsDelivered/),
      data: { check: 'notificationCountAlarm', status: 'WARNING' },
      id: '3a6a339c-60fc-5718-875e-66cf50fbf89a',
    });
    expect(await eventOf(body, { insufficientData: 'problem' })).toMatchObject({
      type: 'alert.firing',
      severity: 'critical',
      data: { status: 'ERROR' },
    });
    expect(await read(body, { insufficientData: 'ignore' })).toEqual({
      kind: 'ignored',
      reason: 'notificationCountAlarm has insufficient data, which this source ignores (settings.insufficientData)',
    });
  });

  it('an alarm on metric math names its expression and metrics', async () => {
    const lambdaRecord = fixture('lambda-cloudwatch-alarm-multiple-metrics.json') as { Records: [{ Sns: { Message: string } }] };
    const event = await eventOf(withMessage(fixture('cloudwatch-alarm.json'), lambdaRecord.Records[0].Sns.Message));
    expect(event.message).toContain('Metric: Expression1 = m1*1; m1: AWS/EC2 NetworkOut (InstanceId=TestInstance)');
    expect(event.message).toContain('Threshold: > 0');
    expect(event.data).toMatchObject({ check: 'arn:aws:cloudwatch:REGION:ACCOUNT_NUMBER:alarm:EXAMPLE', status: 'ERROR' });
  });

  it("an alarm's message of the wrong shape is a 400 naming the field", async () => {
    const body = withMessage(
      fixture('cloudwatch-alarm.json'),
      JSON.stringify({ ...alarmOf('cloudwatch-alarm.json'), NewStateValue: 'ON_FIRE' }),
    );
    const err = await refusal(read(body));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details.map((d) => d.path)).toEqual(['Message.NewStateValue']);
  });
});

describe('any other message published to the topic', () => {
  it('is a notification: the subject as title, the message as published', async () => {
    expect(await eventOf(fixture('notification.json'))).toMatchObject({
      type: 'notification',
      severity: 'info',
      title: 'My First Message',
      message: 'Hello world!',
      id: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
      data: { topicArn: 'arn:aws:sns:us-west-2:123456789012:MyTopic' },
    });
  });

  it("without a subject, the topic's name is the title; a long message is cut to the event's limit, never inside a character", async () => {
    const { Subject: _none, ...body } = fixture('notification.json');
    const long = 'x'.repeat(9_998) + '🚨'.repeat(10);
    const event = await eventOf({ ...body, Message: long, MessageAttributes: { team: { Type: 'String', Value: 'payments' } } });
    expect(event.title).toBe('MyTopic');
    expect(event.message).toBe('x'.repeat(9_998) + '…');
    expect(event.data?.['messageAttributes']).toEqual({ team: { Type: 'String', Value: 'payments' } });
    // A JSON message that is not an alarm is passed on as published too.
    expect((await eventOf({ ...body, Message: '{"order":42}' })).message).toBe('{"order":42}');
  });
});

describe('subscriptions', () => {
  it('a SubscriptionConfirmation asks for its SubscribeURL to be confirmed; an UnsubscribeConfirmation is taken and ignored', async () => {
    const body = fixture('subscription-confirmation.json');
    expect(await read(body)).toEqual({
      kind: 'confirm',
      subscribeUrl: body['SubscribeURL'],
      topicArn: 'arn:aws:sns:eu-west-1:1234567890:alerta-test',
    });
    expect(await read({ ...body, Type: 'UnsubscribeConfirmation' })).toMatchObject({ kind: 'ignored' });
  });
});

describe('what SNS signs', () => {
  it('a Notification: Message, MessageId, Subject when present, Timestamp, TopicArn, Type, each a name and a value line', () => {
    const message = parseSnsMessage(requestOf(fixture('notification.json')));
    expect(stringToSign(message)).toBe(
      'Message\nHello world!\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nMy First Message\n' +
        'Timestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nNotification\n',
    );
    const { Subject: _none, ...withoutSubject } = fixture('notification.json');
    expect(stringToSign(parseSnsMessage(requestOf(withoutSubject)))).not.toContain('Subject');
  });

  it('a SubscriptionConfirmation: with SubscribeURL and Token, the Message with its newline as it was', () => {
    const body = fixture('subscription-confirmation.json');
    const text = stringToSign(parseSnsMessage(requestOf(body)));
    expect(text).toBe(
      `Message\n${String(body['Message'])}\nMessageId\n8a14e4f3-f3ab-4be0-a12f-681ee8fe214f\nSubscribeURL\n${String(body['SubscribeURL'])}\n` +
        `Timestamp\n2018-07-08T21:33:44.782Z\nToken\n${String(body['Token'])}\nTopicArn\narn:aws:sns:eu-west-1:1234567890:alerta-test\n` +
        'Type\nSubscriptionConfirmation\n',
    );
    expect(text).toContain('alerta-test.\nTo confirm');
  });
});

describe('refused before anything is verified', () => {
  const cases: [string, InboundRequest, string][] = [
    ['not JSON', { headers: {}, body: Buffer.from('Type=Notification') }, '(body)'],
    ['no MessageId', requestOf({ ...fixture('notification.json'), MessageId: undefined }), 'MessageId'],
    ['an unknown SignatureVersion', requestOf({ ...fixture('notification.json'), SignatureVersion: '3' }), 'SignatureVersion'],
    ['an unknown Type', requestOf({ ...fixture('notification.json'), Type: 'Publish' }), 'Type'],
    [
      'a confirmation without its SubscribeURL',
      requestOf({ ...fixture('subscription-confirmation.json'), SubscribeURL: undefined }),
      'SubscribeURL',
    ],
    [
      'a header that says another type than the body',
      requestOf(fixture('notification.json'), { 'x-amz-sns-message-type': 'SubscriptionConfirmation' }),
      'headers.x-amz-sns-message-type',
    ],
  ];
  it.each(cases)('%s: a 400 naming the field', async (_what, request, path) => {
    const { verifier, verified } = trustingVerifier();
    const err = await refusal(readSnsInbound(request, { settings: {} }, verifier, new Date()));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.status).toBe(400);
    expect((err as ValidationError).details.map((d) => d.path)).toContain(path);
    expect(verified).toEqual([]);
  });

  it('a topic the source does not take: 403 once the signature verified (before, nothing is said of the topics)', async () => {
    const { verifier, verified } = trustingVerifier();
    const source = { settings: { topicArns: ['arn:aws:sns:us-west-2:123456789012:Alarms'] } };
    const notification = fixture('notification.json');
    const err = await refusal(readSnsInbound(requestOf(notification), source, verifier, timeOf(notification)));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).toContain('arn:aws:sns:us-west-2:123456789012:MyTopic');
    expect(err.message).not.toContain('Alarms');
    expect(verified).toHaveLength(1);
    const listed = { settings: { topicArns: ['arn:aws:sns:us-west-2:123456789012:MyTopic'] } };
    expect((await readSnsInbound(requestOf(notification), listed, verifier, timeOf(notification))).kind).toBe('events');
  });

  it('a message signed over 24 hours ago (its MessageId no longer remembered): 401, however well signed', async () => {
    const { verifier } = trustingVerifier();
    const notification = fixture('notification.json');
    const dayAndAnHourLater = new Date(timeOf(notification).getTime() + 25 * 3600_000);
    const err = await refusal(readSnsInbound(requestOf(notification), { settings: {} }, verifier, dayAndAnHourLater));
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect(err.message).toContain('over 24 hours ago');
    const anHourLater = new Date(timeOf(notification).getTime() + 3600_000);
    expect((await readSnsInbound(requestOf(notification), { settings: {} }, verifier, anHourLater)).kind).toBe('events');
  });
});
