import { z } from '@hono/zod-openapi';
import { AppId, Timestamp } from './common.js';
import { QuietHours } from './quiet-hours.js';

const Metadata = z
  .record(z.string().min(1).max(64), z.string().max(2048))
  .refine((m) => Object.keys(m).length <= 20, { error: 'at most 20 entries' })
  .openapi({ example: { website: 'https://shop.example.com', host: 'web-1' } });

const HeartbeatSettings = z
  .strictObject({
    offlineAfterSeconds: z.int().min(60).max(86_400).default(120).openapi({ description: 'a server silent for longer is offline' }),
    forgetOffline: z
      .boolean()
      .default(false)
      .openapi({ description: 'forget a server that goes offline instead of notifying (autoscaling)' }),
  })
  .openapi('HeartbeatSettings');

const Limits = z
  .strictObject({
    eventsPerMinute: z.int().min(1).max(1_000_000).optional().openapi({ description: 'default 6000; more get 429' }),
    smsPerDay: z.int().min(0).max(1_000_000).optional().openapi({ description: 'default 100; more are suppressed' }),
    deliveriesPerEvent: z.int().min(1).max(10_000).optional().openapi({ description: 'default 100; more are suppressed' }),
  })
  .openapi('AppLimits');

const Collaborators = z
  .array(z.email({ error: 'must be an email address' }))
  .max(49)
  .openapi({ description: 'more people the default notifier mails, besides the owner', example: ['dev@shop.example'] });

export const AppCreate = z
  .strictObject({
    id: AppId,
    name: z.string().trim().min(1).max(200),
    owner: z.strictObject({ email: z.email({ error: 'must be an email address' }) }),
    collaborators: Collaborators.optional(),
    metadata: Metadata.optional(),
    heartbeat: HeartbeatSettings.optional(),
    quietHours: QuietHours.optional(),
    locale: z.enum(['en', 'de', 'fr']).optional().openapi({ description: 'the language of its messages, for notifiers that name none' }),
    limits: Limits.optional(),
  })
  .openapi('AppCreate');

/** A JSON merge patch (RFC 7396) of an app: `null` removes a metadata entry. */
export const AppPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    owner: z.strictObject({ email: z.email({ error: 'must be an email address' }) }).optional(),
    collaborators: Collaborators.nullable().optional().openapi({ description: 'replaces the list; null or [] removes it' }),
    metadata: z.record(z.string().min(1).max(64), z.string().max(2048).nullable()).nullable().optional(),
    heartbeat: HeartbeatSettings.optional(),
    quietHours: QuietHours.nullable().optional(),
    locale: z.enum(['en', 'de', 'fr']).nullable().optional(),
    limits: Limits.optional(),
  })
  .openapi('AppPatch');

export const App = z
  .object({
    id: AppId,
    name: z.string(),
    owner: z.object({ email: z.string() }),
    collaborators: z.array(z.string()).optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    heartbeat: z.object({ offlineAfterSeconds: z.int(), forgetOffline: z.boolean() }).optional(),
    quietHours: z.record(z.string(), z.unknown()).optional(),
    locale: z.string().optional(),
    limits: z.record(z.string(), z.number()).optional(),
    eventShards: z
      .array(z.object({ since: Timestamp, count: z.int() }))
      .optional()
      .openapi({ description: 'how many partitions its event records are spread over, from when: set by limits.eventsPerMinute' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('App');

export const ApiKey = z
  .object({ id: z.string(), prefix: z.string(), createdAt: Timestamp, revokedAt: Timestamp.optional() })
  .openapi('ApiKey');

export const CreatedKey = z
  .object({ apiKey: z.string().openapi({ description: 'the secret key: shown this once only' }), key: ApiKey })
  .openapi('CreatedKey');

export const AppCreated = z.object({ app: App, apiKey: z.string(), key: ApiKey }).openapi('AppCreated');
