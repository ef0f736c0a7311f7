import { z } from '@hono/zod-openapi';
import { CHANNEL_NAMES, DELIVERY_STATUSES } from '../core/types.js';
import { AppId, ErrorDetail, EventType, JsonObject, Severity, Timestamp } from './common.js';

export const EventInput = z
  .strictObject({
    type: EventType,
    severity: Severity.optional().openapi({ description: "default: the catalog's, else info" }),
    title: z.string().max(500).optional(),
    message: z.string().max(10_000).optional(),
    data: JsonObject.optional(),
    occurredAt: Timestamp.optional(),
    id: z
      .string()
      .regex(/^[\x21-\x7e]{1,128}$/, { error: 'must be 1 to 128 printable ASCII characters' })
      .optional()
      .openapi({ description: 'a client-chosen idempotency id' }),
    fingerprint: z.string().max(256).optional(),
    source: JsonObject.optional(),
    app: AppId.optional().openapi({ description: 'the app, when posting with the admin key' }),
  })
  .openapi('EventInput');

export type EventInputBody = z.infer<typeof EventInput>;

export const EventAccepted = z
  .object({
    eventId: z.string(),
    deliveries: z.int().openapi({ description: 'the deliveries it made, those held back included' }),
    duplicate: z.boolean(),
    unchanged: z.boolean().openapi({ description: 'it reports a status that did not change: nobody is told' }),
    declined: z
      .array(z.object({ notifierId: z.string(), reason: z.string() }).openapi('Declined'))
      .openapi({ description: 'notifiers that held the event back (throttled, quiet hours, occurrences, caps), with why' }),
  })
  .openapi('EventAccepted');

/** Up to 100 events in one request; each is checked on its own, so that one refused refuses only itself. */
export const EventBatch = z
  .strictObject({
    events: z
      .array(z.record(z.string(), z.unknown()).openapi({ description: 'an EventInput, as POST /v1/events takes it' }))
      .min(1)
      .max(100),
  })
  .openapi('EventBatch');

export const EventBatchResult = z
  .object({
    results: z.array(
      z
        .object({
          index: z.int().openapi({ description: 'its position in the batch' }),
          status: z.int().openapi({ description: '202 when accepted; else the status a single POST would have got' }),
          eventId: z.string().optional(),
          deliveries: z.int().optional(),
          duplicate: z.boolean().optional(),
          unchanged: z.boolean().optional(),
          declined: z.array(z.object({ notifierId: z.string(), reason: z.string() })).optional(),
          error: ErrorDetail.optional(),
        })
        .openapi('EventBatchEntry'),
    ),
  })
  .openapi('EventBatchResult');

export const Event = z
  .object({
    id: z.string(),
    appId: z.string(),
    type: z.string(),
    severity: Severity,
    title: z.string().optional(),
    message: z.string().optional(),
    data: JsonObject.optional(),
    occurredAt: Timestamp,
    receivedAt: Timestamp,
    fingerprint: z.string().optional(),
    source: JsonObject.optional(),
  })
  .openapi('Event');

export const Attempt = z
  .object({
    n: z.int(),
    at: Timestamp,
    outcome: z.enum(['sent', 'failed', 'retrying']),
    statusCode: z.int().optional(),
    error: z.string().optional(),
    latencyMs: z.number(),
  })
  .openapi('Attempt');

export const Delivery = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string().optional().openapi({ description: "the event's type" }),
    appId: z.string().openapi({ description: 'the app, or * for the installation (tests of global notifiers)' }),
    notifierId: z.string(),
    channel: z.enum(CHANNEL_NAMES),
    recipient: z.string().openapi({ description: 'secrets masked' }),
    status: z.enum(DELIVERY_STATUSES),
    reason: z.string().optional(),
    createdAt: Timestamp,
    attemptCount: z.int().openapi({ description: 'how many attempts it has had (attempts keeps the first 2 and the latest 8)' }),
    lastAttempt: Attempt.optional().openapi({ description: 'the latest attempt: its outcome, time, status code and error' }),
    nextAttemptAt: Timestamp.optional().openapi({ description: 'when it is due again (retrying, or held by quiet hours)' }),
    attempts: z
      .array(Attempt)
      .openapi({ description: 'oldest first: the first 2 attempts and the latest 8, each error kept to 512 bytes (its start and end)' }),
    escalation: z
      .object({ notifierId: z.string(), step: z.int(), round: z.int() })
      .optional()
      .openapi({ description: "a step of an escalation policy: the policy's notifier, the step and the round (from 1)" }),
    failoverOf: z.string().optional().openapi({ description: 'the delivery this one stands in for (it failed, died or was late)' }),
    failoverBy: z
      .object({ notifierId: z.string(), entry: z.int() })
      .optional()
      .openapi({ description: 'whose failover made it, and which entry of its list (from 1)' }),
    failedOverTo: z.array(z.string()).optional().openapi({ description: 'the deliveries that stood in for this one' }),
  })
  .openapi('Delivery');

const STATUS_LIST = new RegExp(`^(${DELIVERY_STATUSES.join('|')})(,(${DELIVERY_STATUSES.join('|')}))*$`);

export const DeliveryQuery = z.object({
  status: z
    .string()
    .regex(STATUS_LIST, { error: `must be one or more of ${DELIVERY_STATUSES.join(', ')}, comma-separated` })
    .optional()
    .openapi({ description: 'one or more statuses, comma-separated', example: 'failed,dead' }),
  channel: z.enum(CHANNEL_NAMES).optional(),
  notifierId: z.string().max(64).optional(),
  eventId: z.string().max(64).optional(),
  type: EventType.optional().openapi({ description: "the event's type" }),
  since: Timestamp.optional().openapi({ description: 'created at or after' }),
  until: Timestamp.optional().openapi({ description: 'created before' }),
});
