import { z } from '@hono/zod-openapi';
import { TARGETS } from '../channels/targets.js';
import { DEFAULT_GROUPING, type DigestSettings, type GroupingSettings } from '../core/grouping.js';
import { RATE_BOUNDS } from '../core/pacing.js';
import type { EscalationPolicy as EscalationPolicyType, FailoverSettings } from '../core/escalation.js';
import { CHANNEL_NAMES } from '../core/types.js';
import { Severity, Timestamp } from './common.js';
import { ContactId, GroupId } from './contact.js';
import { EscalationPolicy, Failover } from './escalation.js';
import { QuietHours } from './quiet-hours.js';
import { Templates, TimeZone } from './templates.js';

const Selector = z
  .string()
  .regex(/^(\*|@[a-z0-9_-]{1,64}|[a-z0-9*][a-z0-9_.:*-]{0,127})$/, {
    error: 'must be *, an event type, a glob such as monitor.* or a @category',
  })
  .openapi({ example: 'monitor.*' });

/** What a group is keyed by: the app, an event field, or a path in its data or source (as silences' matchers name them). */
const GroupField = z
  .string()
  .regex(/^(app|type|severity|title|message|fingerprint|check|status|(data|source)(\.[A-Za-z0-9_-]+)+)$/, {
    error: 'must be app, type, severity, title, message, fingerprint, check, status, or data.<path> / source.<path>',
  })
  .openapi({ example: 'data.cluster' });

/** A notifier's own pace (core/pacing.ts). */
const Rate = z
  .strictObject({
    perSecond: z
      .number()
      .min(RATE_BOUNDS.minPerSecond, { error: 'must be at least 1/3600 (one an hour): a slower pace holds deliveries for days' })
      .max(RATE_BOUNDS.maxPerSecond, { error: `must be at most ${RATE_BOUNDS.maxPerSecond}` })
      .openapi({ description: 'sends per second on average, from 1/3600 (one an hour) to 1000' }),
    burst: z.int().min(1).max(1000).default(1).openapi({ description: 'how many may go at once after a quiet spell (default 1)' }),
  })
  .openapi('Rate', {
    description:
      "how fast its deliveries may reach their destination, instead of the provider's published rate (Slack 1/s, bursts of 3...); " +
      'a webhook is paced only when it sets one',
    example: { perSecond: 1, burst: 3 },
  });

const common = {
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  events: z
    .array(Selector)
    .min(1, { error: 'must name at least one selector; ["*"] is every event of the app' })
    .max(100)
    .default(['*'])
    .openapi({
      description:
        'selectors of the events it wants; default ["*"], every event of the app (Herald\'s own, such as notifier_edited, only by type, glob or @lifecycle)',
    }),
  exclude: z.array(Selector).max(100).optional().openapi({ description: 'events it does not want, even when events selects them' }),
  minSeverity: Severity.default('info'),
  locale: z.enum(['en', 'de', 'fr']).optional(),
  timeZone: TimeZone.optional().openapi({ description: 'the time zone of the times in its messages (default UTC)' }),
  templates: Templates.optional(),
  quietHours: QuietHours.optional(),
  throttle: z
    .union([
      z.literal(false),
      z.strictObject({
        limit: z.int().min(1).max(1000).default(5),
        windowSeconds: z.int().min(10).max(86_400).default(60),
      }),
    ])
    .optional()
    .openapi({
      description:
        'hold repeats of the same fingerprint: the first is sent, repeats 2..limit suppressed, limit+1 sends one "bad behavior". ' +
        'Unset: 5 in 60 s for warning and critical events (not with occurrences); settings: for every event; false: never',
    }),
  occurrences: z
    .strictObject({ on: z.array(z.int().min(1).max(10_000)).min(1).max(20), windowSeconds: z.int().min(60).max(604_800) })
    .optional()
    .openapi({ description: 'tell only these occurrences of a type within the window, e.g. on [2, 5, 12]' }),
  grouping: z
    .strictObject({
      by: z
        .array(GroupField)
        .max(10)
        .default([])
        .openapi({ description: 'app, an event field (type, severity, check...) or data.<path> / source.<path>; [] one group for all' }),
      waitSeconds: z.int().min(0).max(3600).default(DEFAULT_GROUPING.waitSeconds),
      intervalSeconds: z.int().min(1).max(86_400).default(DEFAULT_GROUPING.intervalSeconds),
      repeatSeconds: z.int().min(1).max(604_800).default(DEFAULT_GROUPING.repeatSeconds),
    })
    .optional()
    .openapi({
      description:
        "group events that share the by values (Alertmanager's grouping): the first waits waitSeconds for others, then one notification lists them; " +
        'later ones go together every intervalSeconds; members still failing are sent again every repeatSeconds',
    }),
  digest: z
    .strictObject({
      windowSeconds: z
        .int()
        .min(1)
        .max(604_800)
        .optional()
        .openapi({ description: 'a window starts with its first event and lasts this long' }),
      schedule: z.string().min(1).max(100).optional().openapi({
        description: 'or the window ends at the next time of this cron pattern (a daily or weekly summary)',
        example: '0 9 * * 1-5',
      }),
      timeZone: TimeZone.optional().openapi({ description: "the schedule's time zone (default: the notifier's, else UTC)" }),
      maxItems: z.int().min(2).max(1000).optional().openapi({ description: 'a window with this many events ends at once' }),
      sendFirst: z.boolean().optional().openapi({ description: "send a window's first event at once and digest the rest" }),
    })
    .superRefine((digest, ctx) => {
      if ((digest.windowSeconds === undefined) === (digest.schedule === undefined))
        ctx.addIssue({ code: 'custom', path: ['windowSeconds'], message: 'give windowSeconds or schedule (one of them)' });
      if (digest.timeZone && digest.schedule === undefined)
        ctx.addIssue({ code: 'custom', path: ['timeZone'], message: 'is for a schedule' });
    })
    .optional()
    .openapi({ description: "tell the notifier's events of a window in one message (Novu's and Knock's digests); not with grouping" }),
  rate: Rate.optional(),
  confirm: z.boolean().optional().openapi({ description: 'on creation, send a test message at once (not stored)' }),
};

/**
 * A notifier without a channel: it names contacts and groups (core/contacts.ts), or it is an
 * escalation policy whose steps say who (core/escalation.ts). One way of reaching people.
 */
const WithoutChannel = z
  .strictObject({
    ...common,
    // Absent (a literal, so that the discriminated union and the OpenAPI generator take it); `not: {}`: no value is valid.
    channel: z
      .literal(undefined, { error: 'give a channel and target, contacts and/or groups, or an escalation (one way)' })
      .openapi({ not: {} })
      .optional(),
    contacts: z.array(ContactId).min(1).max(50).optional().openapi({ description: 'contacts it reaches, each on its channels' }),
    groups: z.array(GroupId).min(1).max(20).optional().openapi({ description: 'contact groups it reaches' }),
    escalation: EscalationPolicy.optional(),
    failover: Failover.optional(),
  })
  .superRefine((n, ctx) => {
    const named = n.contacts !== undefined || n.groups !== undefined;
    if (!named && !n.escalation)
      ctx.addIssue({ code: 'custom', path: ['channel'], message: 'give channel and target, contacts and/or groups, or an escalation' });
    if (named && n.escalation)
      ctx.addIssue({ code: 'custom', path: ['escalation'], message: 'is instead of contacts and groups: its steps name who (one way)' });
    if (n.escalation && n.failover)
      ctx.addIssue({
        code: 'custom',
        path: ['failover'],
        message: "is for a channel or contacts: an escalation's steps fail over as their notifiers do",
      });
  });

/** The same schema in every channel's shape below: zod builds a schema at each call, and the api builds these at its start. */
const OptionalFailover = Failover.optional();

/** A new notifier: the target's shape depends on the channel; without a channel, contacts and groups or an escalation policy. */
export const NotifierCreate = z
  .discriminatedUnion(
    'channel',
    [
      ...CHANNEL_NAMES.map((name) =>
        z.strictObject({ ...common, channel: z.literal(name), target: TARGETS[name], failover: OptionalFailover }),
      ),
      WithoutChannel,
    ] as unknown as [z.ZodObject, ...z.ZodObject[]],
    // Not zod's list, which ends in 'undefined' for the notifier without a channel.
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? `must be one of ${CHANNEL_NAMES.join(', ')}, or left out for contacts and groups or an escalation`
          : undefined,
    },
  )
  .openapi('NotifierCreate');

export type NotifierInput = {
  name: string;
  enabled: boolean;
  events: string[];
  exclude?: string[];
  quietHours?: z.infer<typeof QuietHours>;
  throttle?: { limit: number; windowSeconds: number } | false;
  occurrences?: { on: number[]; windowSeconds: number };
  grouping?: GroupingSettings;
  digest?: DigestSettings;
  minSeverity: z.infer<typeof Severity>;
  locale?: 'en' | 'de' | 'fr';
  timeZone?: string;
  templates?: Record<string, string>;
  rate?: { perSecond: number; burst: number };
} & (
  | {
      channel: (typeof CHANNEL_NAMES)[number];
      target: Record<string, unknown>;
      failover?: FailoverSettings;
      contacts?: undefined;
      groups?: undefined;
      escalation?: undefined;
    }
  | { channel?: undefined; target?: undefined; contacts?: string[]; groups?: string[]; failover?: FailoverSettings; escalation?: undefined }
  | {
      channel?: undefined;
      target?: undefined;
      contacts?: undefined;
      groups?: undefined;
      escalation: EscalationPolicyType;
      failover?: undefined;
    }
);

/** A JSON merge patch (RFC 7396) of a notifier. The result is checked as a whole; a secret left out is kept. */
export const NotifierPatch = z
  .strictObject({
    name: z.string().optional(),
    enabled: z.boolean().optional(),
    events: z.array(z.string()).optional(),
    exclude: z.array(z.string()).nullable().optional(),
    quietHours: z.record(z.string(), z.unknown()).nullable().optional(),
    throttle: z
      .union([z.literal(false), z.record(z.string(), z.unknown())])
      .nullable()
      .optional(),
    occurrences: z.record(z.string(), z.unknown()).nullable().optional(),
    grouping: z.record(z.string(), z.unknown()).nullable().optional(),
    digest: z.record(z.string(), z.unknown()).nullable().optional(),
    minSeverity: z.string().optional(),
    locale: z.string().nullable().optional(),
    timeZone: z.string().nullable().optional(),
    templates: z.record(z.string(), z.string().nullable()).nullable().optional(),
    channel: z.string().nullable().optional(),
    target: z.record(z.string(), z.unknown()).nullable().optional(),
    contacts: z.array(z.string()).nullable().optional(),
    groups: z.array(z.string()).nullable().optional(),
    escalation: z
      .record(z.string(), z.unknown())
      .nullable()
      .optional()
      .openapi({ description: 'null (with a channel and target, or contacts) ends it' }),
    failover: z.record(z.string(), z.unknown()).nullable().optional(),
    rate: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .openapi('NotifierPatch');

export const Notifier = z
  .object({
    id: z.string(),
    appId: z.string().openapi({ description: 'the app, or * for a global notifier' }),
    name: z.string(),
    enabled: z.boolean(),
    channel: z.enum(CHANNEL_NAMES).optional().openapi({ description: 'absent: it reaches contacts and groups, or escalates' }),
    target: z.record(z.string(), z.unknown()).optional().openapi({ description: 'secrets are masked' }),
    contacts: z.array(z.string()).optional(),
    groups: z.array(z.string()).optional(),
    escalation: EscalationPolicy.optional(),
    failover: Failover.optional(),
    events: z.array(z.string()).openapi({ description: '["*"]: every event of the app' }),
    exclude: z.array(z.string()).optional(),
    quietHours: z.record(z.string(), z.unknown()).optional(),
    throttle: z.union([z.literal(false), z.object({ limit: z.int(), windowSeconds: z.int() })]).optional(),
    occurrences: z.object({ on: z.array(z.int()), windowSeconds: z.int() }).optional(),
    grouping: z
      .object({
        by: z.array(z.string()),
        waitSeconds: z.int(),
        intervalSeconds: z.int(),
        repeatSeconds: z.int(),
      })
      .optional(),
    digest: z
      .object({
        windowSeconds: z.int().optional(),
        schedule: z.string().optional(),
        timeZone: z.string().optional(),
        maxItems: z.int().optional(),
        sendFirst: z.boolean().optional(),
      })
      .optional()
      .openapi({ description: 'windowSeconds, or schedule (and its timeZone)' }),
    minSeverity: Severity,
    locale: z.string().optional(),
    timeZone: z.string().optional(),
    templates: z.record(z.string(), z.string()).optional(),
    rate: z.object({ perSecond: z.number(), burst: z.int() }).optional(),
    default: z.boolean().openapi({ description: "the app's default notifier: it mails the owner and collaborators, and follows them" }),
    failingSince: Timestamp.optional().openapi({ description: 'since when every delivery has failed' }),
    disabledReason: z.string().optional().openapi({ description: 'why Herald disabled it' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Notifier');
