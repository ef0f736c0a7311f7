import { z } from '@hono/zod-openapi';
import { TARGETS } from '../channels/targets.js';
import type { Contact as ContactRecord } from '../core/contacts.js';
import { CHANNEL_NAMES } from '../core/types.js';
import { Severity, Timestamp } from './common.js';
import { QuietHours } from './quiet-hours.js';
import { TimeZone } from './templates.js';

/** The same schema in every channel's shape below (zod builds a schema at each call, and the api builds these at its start). */
const ChannelMinSeverity = Severity.optional().openapi({ description: 'this channel only for events from this severity up' });

/** One of a contact's channels: the target's shape depends on the channel, as a notifier's. */
export const ContactChannel = z
  .discriminatedUnion(
    'channel',
    CHANNEL_NAMES.map((name) =>
      z.strictObject({
        channel: z.literal(name),
        target: TARGETS[name],
        minSeverity: ChannelMinSeverity,
      }),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .openapi('ContactChannel');

export const ContactInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    timeZone: TimeZone.optional().openapi({
      description: 'the time zone of the times in its messages (default: the notifier’s, else UTC)',
    }),
    locale: z.enum(['en', 'de', 'fr']).optional().openapi({ description: 'the language of its messages' }),
    quietHours: QuietHours.optional().openapi({ description: 'its own quiet hours: they hold or suppress its deliveries only' }),
    channels: z.array(ContactChannel).min(1).max(10),
  })
  .openapi('ContactInput', {
    example: {
      name: 'Alice',
      locale: 'de',
      timeZone: 'Europe/Berlin',
      channels: [
        { channel: 'email', target: { to: ['alice@shop.example'] } },
        { channel: 'sms', target: { to: ['+4915112345678'] }, minSeverity: 'critical' },
      ],
    },
  });
/** What ContactInput gives (its channels' union is typed loosely by zod). */
export type ContactInputBody = Omit<ContactRecord, 'id' | 'appId' | 'createdAt' | 'updatedAt'>;

/** A JSON merge patch of a contact; the result is checked as a whole, and a masked secret sent back keeps the secret. */
export const ContactPatch = z
  .strictObject({
    name: z.string().optional(),
    timeZone: z.string().nullable().optional(),
    locale: z.string().nullable().optional(),
    quietHours: z.record(z.string(), z.unknown()).nullable().optional(),
    channels: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .openapi('ContactPatch');

export const Contact = z
  .object({
    id: z.string(),
    appId: z.string().openapi({ description: 'the app, or * for an installation-wide contact' }),
    name: z.string(),
    timeZone: z.string().optional(),
    locale: z.string().optional(),
    quietHours: z.record(z.string(), z.unknown()).optional(),
    channels: z.array(
      z.object({
        channel: z.enum(CHANNEL_NAMES),
        target: z.record(z.string(), z.unknown()).openapi({ description: 'secrets are masked' }),
        minSeverity: Severity.optional(),
      }),
    ),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Contact');

export const ContactId = z.string().regex(/^con_[0-9a-z]{26}$/, { error: 'must be a contact id (con_...)' });
export const GroupId = z.string().regex(/^cgr_[0-9a-z]{26}$/, { error: 'must be a contact group id (cgr_...)' });

export const ContactGroupInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    members: z.array(ContactId).min(1).max(100).openapi({ description: 'contact ids' }),
  })
  .openapi('ContactGroupInput');
export type ContactGroupInputBody = z.infer<typeof ContactGroupInput>;

export const ContactGroupPatch = z
  .strictObject({ name: z.string().optional(), members: z.array(z.string()).optional() })
  .openapi('ContactGroupPatch');

export const ContactGroup = z
  .object({
    id: z.string(),
    appId: z.string().openapi({ description: 'the app, or * for an installation-wide group' }),
    name: z.string(),
    members: z.array(z.string()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('ContactGroup');
