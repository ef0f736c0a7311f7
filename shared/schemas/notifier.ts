import { z } from '@hono/zod-openapi';
import { TARGETS } from '../channels/index.js';
import { CHANNEL_NAMES } from '../core/types.js';
import { Severity, Timestamp } from './common.js';
import { QuietHours } from './quiet-hours.js';

const Selector = z
  .string()
  .regex(/^(\*|@[a-z0-9_-]{1,64}|[a-z0-9*][a-z0-9_.:*-]{0,127})$/, {
    error: 'must be *, an event type, a glob such as monitor.* or a @category',
  })
  .openapi({ example: 'monitor.*' });

const common = {
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  events: z.array(Selector).max(100).default([]).openapi({ description: 'empty: every event' }),
  exclude: z.array(Selector).max(100).optional().openapi({ description: 'events it does not want, even when events selects them' }),
  minSeverity: Severity.default('info'),
  locale: z.enum(['en', 'de', 'fr']).optional(),
  quietHours: QuietHours.optional(),
  confirm: z.boolean().optional().openapi({ description: 'on creation, send a test message at once (not stored)' }),
};

/** A new notifier: the target's shape depends on the channel. */
export const NotifierCreate = z
  .discriminatedUnion(
    'channel',
    CHANNEL_NAMES.map((name) => z.object({ ...common, channel: z.literal(name), target: TARGETS[name] }).strict()) as unknown as [
      z.ZodObject,
      ...z.ZodObject[],
    ],
  )
  .openapi('NotifierCreate');

export type NotifierInput = {
  name: string;
  enabled: boolean;
  events: string[];
  exclude?: string[];
  quietHours?: z.infer<typeof QuietHours>;
  minSeverity: z.infer<typeof Severity>;
  locale?: 'en' | 'de' | 'fr';
  channel: (typeof CHANNEL_NAMES)[number];
  target: Record<string, unknown>;
};

/** A JSON merge patch (RFC 7396) of a notifier. The result is checked as a whole; a secret left out is kept. */
export const NotifierPatch = z
  .object({
    name: z.string().optional(),
    enabled: z.boolean().optional(),
    events: z.array(z.string()).optional(),
    exclude: z.array(z.string()).nullable().optional(),
    quietHours: z.record(z.string(), z.unknown()).nullable().optional(),
    minSeverity: z.string().optional(),
    locale: z.string().nullable().optional(),
    channel: z.string().optional(),
    target: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .openapi('NotifierPatch');

export const Notifier = z
  .object({
    id: z.string(),
    appId: z.string().openapi({ description: 'the app, or * for a global notifier' }),
    name: z.string(),
    enabled: z.boolean(),
    channel: z.enum(CHANNEL_NAMES),
    target: z.record(z.string(), z.unknown()).openapi({ description: 'secrets are masked' }),
    events: z.array(z.string()),
    exclude: z.array(z.string()).optional(),
    quietHours: z.record(z.string(), z.unknown()).optional(),
    minSeverity: Severity,
    locale: z.string().optional(),
    failingSince: Timestamp.optional().openapi({ description: 'since when every delivery has failed' }),
    disabledReason: z.string().optional().openapi({ description: 'why Herald disabled it' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Notifier');
