import { z } from 'zod';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../../errors.js';
import { issuesOf } from '../../schemas/issues.js';
import { alarmInbound, cloudWatchAlarmOf } from './cloudwatch-alarm.js';
import { cut, EVENT_LIMITS } from './limits.js';
import type { Inbound, InboundRequest, Source } from './inbound.js';

/**
 * Amazon SNS posting to an HTTPS subscription (CloudWatch alarms, or anything published to
 * a topic): the JSON body SNS sends as `text/plain`, checked, its canonical string to sign
 * (as AWS documents it, per message type), and what a verified message becomes. The
 * signature itself is checked by an SnsVerifier (shared/services/inbound/sns-verifier.ts):
 * it needs SNS's certificate, fetched over the network.
 */

const MESSAGE_TYPES = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'] as const;

const SnsBody = z
  .object({
    Type: z.enum(MESSAGE_TYPES),
    // Herald's idempotency key: POST /v1/events' rule for an event id.
    MessageId: z.string().regex(/^[\x21-\x7e]{1,128}$/, { error: 'must be 1 to 128 printable ASCII characters' }),
    TopicArn: z.string().regex(/^arn:[a-z-]+:sns:[^:\s]+:[^:\s]+:[^:\s]+$/, { error: 'must be an SNS topic ARN' }),
    Message: z.string(),
    Timestamp: z.iso.datetime({ offset: true }),
    SignatureVersion: z.enum(['1', '2'], { error: 'must be 1 (SHA1withRSA) or 2 (SHA256withRSA)' }),
    Signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'must be base64' }),
    SigningCertURL: z.url({ error: 'must be a URL' }),
    // SNS leaves Subject out when the publisher gave none; null is read the same way.
    Subject: z
      .string()
      .nullish()
      .transform((s) => s ?? undefined),
    Token: z.string().min(1).optional(),
    SubscribeURL: z.url({ error: 'must be a URL' }).optional(),
    UnsubscribeURL: z.string().optional(),
    MessageAttributes: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.Type === 'Notification') return;
    for (const field of ['Token', 'SubscribeURL'] as const) {
      if (body[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `is required in a ${body.Type}` });
    }
  });

/** An SNS message as posted, its fields under AWS's names. */
export type SnsMessage = z.infer<typeof SnsBody>;

/** The fields signed, in AWS's order, per type; Subject only when present. */
const SIGNED_FIELDS: Record<SnsMessage['Type'], readonly (keyof SnsMessage)[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** The headers SNS sends beside the body; when present they must agree with it. */
const HEADER_FIELDS = [
  ['x-amz-sns-message-type', 'Type'],
  ['x-amz-sns-message-id', 'MessageId'],
  ['x-amz-sns-topic-arn', 'TopicArn'],
] as const;

/** Reads the body SNS posted: a 400 naming the field for anything that is not an SNS message. */
export function parseSnsMessage(request: InboundRequest): SnsMessage {
  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch (err) {
    throw new ValidationError('The body is not an Amazon SNS message: not JSON', [{ path: '(body)', message: (err as Error).message }]);
  }
  const parsed = SnsBody.safeParse(json);
  if (!parsed.success) throw new ValidationError('The body is not a valid Amazon SNS message', issuesOf(parsed.error));
  const message = parsed.data;
  for (const [header, field] of HEADER_FIELDS) {
    const value = request.headers[header];
    if (value !== undefined && value !== message[field]) {
      throw new ValidationError(`The header ${header} does not match the message's ${field}`, [
        { path: `headers.${header}`, message: `is ${value}, the body's ${field} is ${message[field]}` },
      ]);
    }
  }
  return message;
}

/** The canonical string SNS signs: each signed field's name and value, one a line, each ended by a newline. */
export function stringToSign(message: SnsMessage): string {
  return SIGNED_FIELDS[message.Type]
    .filter((field) => message[field] !== undefined)
    .map((field) => `${field}\n${String(message[field])}\n`)
    .join('');
}

/** The digest of each SignatureVersion (RSA in both): 1 SHA1withRSA, 2 SHA256withRSA. */
export const signatureDigestOf = (message: SnsMessage): 'sha1' | 'sha256' => (message.SignatureVersion === '2' ? 'sha256' : 'sha1');

/**
 * Checks an SNS message's signature and confirms subscriptions: the adapter is
 * shared/services/inbound/sns-verifier.ts (it fetches SNS's certificates). Both refuse
 * with a 401 UnauthorizedError saying why.
 */
export interface SnsVerifier {
  verify(message: SnsMessage): Promise<void>;
  /** GETs a SubscribeURL (an SNS host's only): called once a SubscriptionConfirmation has verified. */
  confirmSubscription(subscribeUrl: string): Promise<void>;
}

/** A source that names its topics takes only those (any, when it names none). */
export function checkTopic(message: SnsMessage, source: Pick<Source, 'settings'>): void {
  const topics = source.settings.topicArns;
  if (topics?.length && !topics.includes(message.TopicArn)) {
    // The topics it takes are not named: whoever posts here has not shown yet that they are SNS.
    throw new ForbiddenError(`This source does not take messages of the topic ${message.TopicArn}`);
  }
}

/**
 * What an SNS request is, once read, its topic checked and its signature verified: a
 * subscription to confirm, a CloudWatch alarm's event, any other message as a
 * `notification`, or nothing (an unsubscribe). The lead's endpoint GETs `subscribeUrl` of
 * a `confirm` through the same verifier (confirmSubscription).
 */
export async function readSnsInbound(
  request: InboundRequest,
  source: Pick<Source, 'settings'>,
  verifier: SnsVerifier,
  now: Date,
): Promise<Inbound> {
  const message = parseSnsMessage(request);
  // The signature first: who has not shown they are SNS learns nothing of the topics a source takes.
  await verifier.verify(message);
  checkTopic(message, source);
  checkAge(message, now);
  return snsInboundOf(message, source);
}

/**
 * A message's idempotency (its MessageId) lasts 24 hours: one signed longer ago is refused,
 * or a copy kept by anyone who saw it (another subscriber of the topic) could be posted again
 * as new. SNS gives up retrying an HTTPS endpoint within an hour.
 */
export const SNS_MAX_AGE_SECONDS = 24 * 60 * 60;

function checkAge(message: SnsMessage, now: Date): void {
  const age = (now.getTime() - Date.parse(message.Timestamp)) / 1000;
  if (age > SNS_MAX_AGE_SECONDS)
    throw new UnauthorizedError(`This message was signed at ${message.Timestamp}, over 24 hours ago: too old to take`);
}

/** What a verified SNS message becomes. Pure. */
export function snsInboundOf(message: SnsMessage, source: Pick<Source, 'settings'>): Inbound {
  switch (message.Type) {
    case 'SubscriptionConfirmation':
      return { kind: 'confirm', subscribeUrl: message.SubscribeURL as string, topicArn: message.TopicArn };
    case 'UnsubscribeConfirmation':
      return { kind: 'ignored', reason: `the subscription to ${message.TopicArn} has ended (UnsubscribeConfirmation)` };
    case 'Notification': {
      const alarm = cloudWatchAlarmOf(message.Message);
      return alarm ? alarmInbound(alarm, message, source.settings) : { kind: 'events', events: [notificationOf(message)] };
    }
  }
}

/** Any message published to the topic, as it was published. */
function notificationOf(message: SnsMessage) {
  const topicName = message.TopicArn.slice(message.TopicArn.lastIndexOf(':') + 1);
  return {
    type: 'notification',
    severity: 'info' as const,
    title: cut(message.Subject || topicName, EVENT_LIMITS.title),
    message: cut(message.Message, EVENT_LIMITS.message),
    data: {
      topicArn: message.TopicArn,
      ...(message.Subject !== undefined ? { subject: message.Subject } : {}),
      ...(message.MessageAttributes ? { messageAttributes: message.MessageAttributes } : {}),
    },
    occurredAt: message.Timestamp,
    id: message.MessageId,
  };
}
