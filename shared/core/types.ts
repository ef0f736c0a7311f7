/**
 * Herald's domain, in the product's words (docs/concepts.md, "Vocabulary"). Plain data: what is
 * stored, queued and returned. Validation lives in `shared/schemas/`.
 */

import type { ShardEra } from './event-shards.js';
import type { DigestSettings, GroupingSettings } from './grouping.js';
import type { EscalationPolicy, EscalationMark, FailoverMark, FailoverSettings } from './escalation.js';
import type { EventIncident } from './incidents.js';
import type { Rate } from './pacing.js';
import type { QuietHours } from './quiet-hours.js';
import type { OccurrenceSettings, ThrottleSettings } from './repeats.js';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Every channel a notifier can use, by family. A family is one queue (with its DLQ) and one
 * function: channels that share a provider's ways (SMS that costs money, chat webhooks,
 * push services, incident tools) share a function, so that a new provider is a file in
 * shared/channels/, not a new queue, function and alarm.
 */
export const FAMILIES = {
  email: ['email'],
  sms: ['sms', 'twilio_sms', 'twilio_voice', 'twilio_whatsapp', 'vonage'],
  slack: ['slack'],
  webhook: ['webhook'],
  chat: ['discord', 'teams', 'google_chat', 'mattermost', 'rocketchat', 'telegram'],
  push: ['ntfy', 'gotify', 'pushover', 'onesignal', 'pusher_beams', 'pushbullet', 'web_push'],
  incident: ['pagerduty', 'opsgenie'],
} as const;
export type Family = keyof typeof FAMILIES;
export type ChannelName = (typeof FAMILIES)[Family][number];
export const FAMILY_NAMES = Object.keys(FAMILIES) as [Family, ...Family[]];
export const CHANNEL_NAMES = Object.values(FAMILIES).flat() as [ChannelName, ...ChannelName[]];

const FAMILY_OF = Object.fromEntries(Object.entries(FAMILIES).flatMap(([family, channels]) => channels.map((c) => [c, family]))) as Record<
  ChannelName,
  Family
>;
/** The family (queue and function) that delivers a channel's notifications. */
export const familyOf = (channel: ChannelName): Family => FAMILY_OF[channel];

/** The statuses a delivery shows (docs/concepts.md, "Vocabulary": delivery status). */
export const DELIVERY_STATUSES = ['queued', 'sent', 'retrying', 'failed', 'dead', 'suppressed', 'grouped', 'coalesced'] as const;
/** Stored only: `sending` marks a claim for one attempt (it reads as queued or retrying). */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number] | 'sending';
export type ShownDeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The status a delivery shows: one claimed mid-attempt shows the status it had before the claim. */
export const shownStatus = (status: DeliveryStatus, attempts: readonly unknown[] | undefined): ShownDeliveryStatus =>
  status === 'sending' ? (attempts?.length ? 'retrying' : 'queued') : status;

export interface App {
  id: string;
  name: string;
  owner: { email: string };
  /** More people the default notifier mails besides the owner. */
  collaborators?: string[];
  metadata?: Record<string, string>;
  /** How its servers' heartbeats are watched. */
  heartbeat?: HeartbeatSettings;
  /** Quiet hours for every notifier of the app that has none of its own. */
  quietHours?: QuietHours;
  /** The language of its messages, for notifiers that name none. */
  locale?: string;
  /** Rate and spend limits; the defaults apply where unset. */
  limits?: Partial<AppLimits>;
  /** How many partitions its event records are spread over, and from when (set with its events-per-minute limit). */
  eventShards?: ShardEra[];
  createdAt: string;
  updatedAt: string;
}

export interface Notifier {
  id: string;
  /** The app whose events it gets, or `*` for a global notifier. */
  appId: string;
  name: string;
  enabled: boolean;
  /** Whom it reaches, one way: a channel and its target; contacts and groups (core/contacts.ts); or an escalation policy's steps (core/escalation.ts). */
  channel?: ChannelName;
  target?: Record<string, unknown>;
  /** Contacts it reaches, each on its channels that want the event's severity. */
  contacts?: string[];
  /** Contact groups it reaches: each member as a contact. */
  groups?: string[];
  /** Who is told, step by step, until someone acknowledges the incident (core/escalation.ts). */
  escalation?: EscalationPolicy;
  /** Who gets a delivery that failed, died or is late (core/escalation.ts). */
  failover?: FailoverSettings;
  /** Event selection: `*` (the app's own events), exact types, globs, `@category`. Never empty. */
  events: string[];
  /** Selectors of events it does not want, even when `events` selects them. */
  exclude?: string[];
  quietHours?: QuietHours;
  /**
   * Hold repeats of the same problem. Unset: the default (5 in 60 s) for warning and
   * critical events; settings of its own: for every event; `false`: never.
   */
  throttle?: ThrottleSettings | false;
  /** Tell only these occurrences of a type within the window. */
  occurrences?: OccurrenceSettings;
  /** Group events that share the values of `by` into one notification per interval (core/grouping.ts). */
  grouping?: GroupingSettings;
  /** Or tell its events of a window (or up to a schedule's time) in one message (core/grouping.ts). */
  digest?: DigestSettings;
  minSeverity: Severity;
  locale?: string;
  /** Overrides of message parts, keyed `[<type or @category>/][<locale>/]<channel>.<part>`. */
  templates?: Record<string, string>;
  /** The time zone of the times in its messages. Default UTC. */
  timeZone?: string;
  /** How fast its deliveries may reach their destination, instead of the provider's published rate (core/pacing.ts). */
  rate?: Rate;
  /** The app's default notifier: it mails the owner and collaborators, and follows them. Set by Herald only. */
  default: boolean;
  /** Since when every delivery to this notifier's endpoint has failed. */
  failingSince?: string;
  /** Why Herald disabled it, when it did. */
  disabledReason?: string;
  createdAt: string;
  updatedAt: string;
}

/** An event as Herald stores it: what the app posted, normalised. */
export interface HeraldEvent {
  id: string;
  appId: string;
  type: string;
  severity: Severity;
  title?: string;
  message?: string;
  data?: Record<string, unknown>;
  occurredAt: string;
  receivedAt: string;
  fingerprint?: string;
  source?: Record<string, unknown>;
  /** The incident of the check it reports on (a failure, a further failure, the recovery), with a failure's acknowledge link. */
  incident?: EventIncident;
}

export interface Attempt {
  n: number;
  at: string;
  outcome: 'sent' | 'failed' | 'retrying';
  statusCode?: number;
  error?: string;
  latencyMs: number;
}

export interface Delivery {
  id: string;
  eventId: string;
  /** The event's type (records written before it was stored have none until the data migration adds it). */
  eventType?: string;
  appId: string;
  notifierId: string;
  channel: ChannelName;
  recipient: string;
  status: DeliveryStatus;
  reason?: string;
  createdAt: string;
  attempts: Attempt[];
  /** When it is due, if not at once: a retry, or the end of quiet hours. */
  nextAttemptAt?: string;
  /** Stored only, while `sending`: when the attempt under way began. */
  claimedAt?: string;
  /** Stored only: the part of its event's record that holds it (record-parts.ts); absent, the record itself. */
  part?: number;
  /** Attempts it has had, when `attempts` leaves some out (the first and the latest are kept). */
  attemptCount?: number;
  /** A step of an escalation policy: which policy, step and round. */
  escalation?: EscalationMark;
  /** A failover: the delivery it stands in for, and whose failover list made it. */
  failoverOf?: string;
  failoverBy?: FailoverMark;
  /** The deliveries that stood in for this one when it failed, died or was late. */
  failedOverTo?: string[];
}

/** A delivery as the API shows it. */
export type ShownDelivery = Omit<Delivery, 'status' | 'claimedAt' | 'part' | 'attemptCount'> & {
  status: ShownDeliveryStatus;
  attemptCount: number;
  lastAttempt?: Attempt;
};

/**
 * What travels on a channel's queue: self-contained, so the channel function renders and
 * sends without reading anything first (docs/concepts.md, "Ingest").
 */
export interface DeliveryMessage {
  v: 1;
  delivery: Pick<
    Delivery,
    'id' | 'eventId' | 'appId' | 'notifierId' | 'channel' | 'recipient' | 'part' | 'escalation' | 'failoverOf' | 'failoverBy'
  >;
  event: HeraldEvent;
  app: Pick<App, 'id' | 'name' | 'metadata' | 'locale'>;
  /** `appId` is the notifier's own: the event's app, or `*` for a global notifier (absent in messages queued before it was added). */
  notifier: Pick<Notifier, 'id' | 'name' | 'target' | 'locale' | 'templates' | 'timeZone' | 'failover' | 'rate'> & { appId?: string };
  /** Pacing (services/pacing.ts), on a message set aside: the slot its destination's bucket holds for it (ISO time). */
  pacedAt?: string;
  /** Since when its destination has answered 429 (ISO time): past the retry schedule's total time, it is dead. */
  rateLimitedSince?: string;
  /** It carries the notifications coalesced while it waited for its slot (services/pacing.ts). */
  carrier?: true;
}

/**
 * The app of what belongs to no app: a global notifier's test, filed under the global scope
 * `*` (where global notifiers live too).
 */
export const INSTALLATION = { id: '*', name: 'Herald' } as const;

export interface AppLimits {
  /** Events an app may post per minute; more get 429. */
  eventsPerMinute: number;
  /** SMS an app may send per day (they cost money); more are suppressed. */
  smsPerDay: number;
  /** Deliveries one event may make; more are suppressed. */
  deliveriesPerEvent: number;
}

export const DEFAULT_LIMITS: AppLimits = { eventsPerMinute: 6000, smsPerDay: 100, deliveriesPerEvent: 100 };

export interface HeartbeatSettings {
  /** A server silent for longer is offline. Default 120. */
  offlineAfterSeconds: number;
  /** Forget a server that goes offline instead of notifying (autoscaling). */
  forgetOffline: boolean;
}

export const DEFAULT_HEARTBEAT: HeartbeatSettings = { offlineAfterSeconds: 120, forgetOffline: false };

/** A server of an app that sends heartbeats. */
export interface Server {
  appId: string;
  server: string;
  lastSeenAt: string;
  state: 'online' | 'offline';
  /** Since when it is in this state. */
  since: string;
}

export interface ApiKey {
  id: string;
  appId: string;
  prefix: string;
  createdAt: string;
  revokedAt?: string;
}
