import { z } from '@hono/zod-openapi';
import { SOURCE_KINDS } from '../core/inbound/inbound.js';
import { MAPPING_VALUE } from '../core/inbound/json.js';
import { SEVERITIES } from '../core/types.js';
import { Severity, Timestamp } from './common.js';

/** A source's settings: how its payloads become events (shared/core/inbound/). Each kind takes its own. */
const Severities = z
  .record(z.string().min(1).max(64), Severity)
  .refine((m) => Object.keys(m).length <= 50, { error: 'at most 50 entries' })
  .openapi({
    description: `the severity label's value → ${SEVERITIES.join('/')}; "*" for any other value (default: critical, warning, info as named, others warning)`,
    example: { P1: 'critical', P2: 'warning', '*': 'info' },
  });

const MappingValue = z
  .string()
  .max(256)
  .regex(MAPPING_VALUE, { error: 'must be a JSON path ($.a.b, $.items[0]) or a fixed value after = (=deploy.done)' });

const Mapping = z
  .strictObject({
    type: MappingValue,
    title: MappingValue.optional(),
    message: MappingValue.optional(),
    severity: MappingValue.optional(),
    check: MappingValue.optional(),
    status: MappingValue.optional(),
    id: MappingValue.optional(),
  })
  .openapi('SourceMapping', {
    description: 'event fields read from the posted JSON',
    example: { type: '=deploy.failed', title: '$.job.name', message: '$.error', check: '$.job.id', status: '$.state' },
  });

/** An SNS topic's ARN, in any partition: what an SNS source takes, and what the stack subscribes to one (infra/sns-subscriptions.ts). */
export const TopicArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$/, { error: 'must be an SNS topic ARN' });

const Topics = z.array(TopicArn).min(1).max(20);

const Name = z.string().trim().min(1).max(100);

/** What `POST /v1/apps/{appId}/sources` takes: a kind, a name, and the kind's settings. */
export const SourceInput = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('alertmanager'), name: Name, severities: Severities.optional() }),
    z.strictObject({ kind: z.literal('grafana'), name: Name, severities: Severities.optional() }),
    z.strictObject({
      kind: z.literal('sns'),
      name: Name,
      topicArns: Topics.openapi({
        description: 'the topics it takes: required, since any AWS account can make a topic that SNS signs for',
      }),
      insufficientData: z
        .enum(['warning', 'problem', 'ignore'])
        .optional()
        .openapi({ description: "a CloudWatch alarm's INSUFFICIENT_DATA: a warning (default), a problem as ALARM, or nothing" }),
    }),
    z.strictObject({ kind: z.literal('github'), name: Name }),
    z.strictObject({ kind: z.literal('json'), name: Name, mapping: Mapping }),
  ])
  .openapi('SourceInput');

export type SourceInputBody = z.infer<typeof SourceInput>;

export const Source = z
  .object({
    id: z.string(),
    appId: z.string(),
    kind: z.enum(SOURCE_KINDS),
    name: z.string(),
    url: z.string().openapi({ description: 'the inbound URL to give the tool: POST /v1/inbound/{id}' }),
    createdAt: Timestamp,
    settings: z
      .object({
        severities: Severities.optional(),
        topicArns: Topics.optional(),
        insufficientData: z.enum(['warning', 'problem', 'ignore']).optional(),
        mapping: Mapping.optional(),
      })
      .openapi({ description: "the kind's settings" }),
    previousSecretUntil: Timestamp.optional().openapi({ description: 'after a rotation: until when the previous secret is still taken' }),
  })
  .openapi('Source');

export const CreatedSource = z
  .object({
    source: Source,
    secret: z
      .string()
      .optional()
      .openapi({ description: 'shown once: the bearer token (alertmanager, grafana, json) or the HMAC key (github); none for sns' }),
  })
  .openapi('CreatedSource');

export const InboundAnswer = z
  .object({
    events: z.int().optional().openapi({ description: 'events accepted (duplicates included)' }),
    duplicate: z.boolean().optional().openapi({ description: 'every event was sent before: nothing delivered again' }),
    results: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .openapi({ description: "each event's answer, as POST /v1/events/batch gives it" }),
    ignored: z.string().optional().openapi({ description: 'taken and routed nowhere: why' }),
    confirmed: z.string().optional().openapi({ description: 'an SNS subscription confirmed: its topic' }),
    message: z.string().optional(),
  })
  .openapi('InboundAnswer');
