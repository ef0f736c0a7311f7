import type { Contact, ContactGroup } from './contacts.js';
import type { GroupMember, GroupNotice } from './grouping.js';
import type { Incident, IncidentStatus, Told } from './incidents.js';
import type { Silence } from './silences.js';
import type {
  ApiKey,
  App,
  Attempt,
  ChannelName,
  Family,
  Delivery,
  DeliveryMessage,
  DeliveryStatus,
  HeraldEvent,
  Notifier,
  Server,
  ShownDeliveryStatus,
} from './types.js';
import type { Source } from './inbound/inbound.js';

/**
 * The ports the services and the channels use. Each has an adapter in shared/aws/ (DynamoDB,
 * SQS, SES, SNS); the stores and queues also have an embedded one in infra/local/engine/,
 * which runs in memory without a data dir (local mode sends mail and SMS through the SES and
 * SNS adapters, to its emulators). test/contract/ holds both to the same behaviour, and the
 * services' unit tests (test/unit/services/, built with test/support/fakes.ts) run on the
 * embedded ones.
 */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface AppStore {
  /** Stores a new app with its first key and default notifier; false when the id is taken. */
  create(app: App, key: ApiKey, keyHash: string, defaultNotifier: Notifier): Promise<boolean>;
  get(appId: string): Promise<App | undefined>;
  list(page: PageRequest): Promise<Page<App>>;
  update(app: App): Promise<void>;
  /** Removes the app, its keys and its notifiers. */
  delete(appId: string): Promise<void>;
}

export interface KeyStore {
  add(key: ApiKey, keyHash: string): Promise<void>;
  /** The key whose SHA-256 this is, revoked ones included. */
  findByHash(keyHash: string): Promise<ApiKey | undefined>;
  list(appId: string): Promise<ApiKey[]>;
  /** false when the app has no such key. */
  revoke(appId: string, keyId: string, at: string): Promise<boolean>;
}

/** A source with what authenticates its requests: never shown once created. */
export interface StoredSource extends Source {
  secret?: SourceSecret;
}

/**
 * A bearer token is kept as its SHA-256 (`hash`), GitHub's HMAC key as it is (`key`: the
 * signature is computed with it). After a rotation the previous one is still taken until
 * `previousUntil`, so that the tool can be given the new one without losing alerts.
 */
export interface SourceSecret {
  hash?: string;
  key?: string;
  previous?: { hash?: string; key?: string; until: string };
}

export interface SourceStore {
  put(source: StoredSource): Promise<void>;
  /** By id alone: what an inbound request names. */
  get(sourceId: string): Promise<StoredSource | undefined>;
  list(appId: string): Promise<StoredSource[]>;
  /** false when the app has no such source. */
  delete(appId: string, sourceId: string): Promise<boolean>;
  /**
   * `rotated` written over `read`, as long as the source is still there with the secret it
   * had when read: false when it was deleted or rotated meanwhile (nothing then written).
   */
  replaceSecret(read: StoredSource, rotated: StoredSource): Promise<boolean>;
}

/** Silences, an app's in a partition of their own (global ones under `*`); routing reads them beside the notifiers (RoutingCache). */
export interface SilenceStore {
  put(silence: Silence): Promise<void>;
  get(appId: string, silenceId: string): Promise<Silence | undefined>;
  /** The app's silences (`*`: the global ones), newest first, expired ones included. */
  list(appId: string): Promise<Silence[]>;
  /** Ends it now (expiredAt): false when there is no such silence or it has ended already. */
  expire(appId: string, silenceId: string, at: Date): Promise<boolean>;
  /** Adds to the count of events it silenced. */
  countSilenced(appId: string, silenceId: string, events: number): Promise<void>;
  /** Notes the latest failure of a check it silenced (told when it ends, if still failing), or that the check recovered (`eventId` undefined). */
  holdFailure(appId: string, silenceId: string, failure: { stateKey: string; appId: string; eventId?: string }): Promise<void>;
  /** The failures it holds: the latest event of each check it silenced failing. */
  heldFailures(appId: string, silenceId: string): Promise<HeldFailure[]>;
  /** Every silence of the app goes (the app is deleted: one made again with its id starts with none). */
  deleteAll(appId: string): Promise<void>;
}

/**
 * Contacts and contact groups (core/contacts.ts), an app's or installation-wide (`*`): the API
 * writes them, routing reads an app's (and the installation's) with its notifiers.
 */
export interface ContactStore {
  put(contact: Contact): Promise<void>;
  get(appId: string, contactId: string): Promise<Contact | undefined>;
  /** The app's contacts (`*`: the installation-wide ones), oldest first. */
  list(appId: string): Promise<Contact[]>;
  delete(appId: string, contactId: string): Promise<boolean>;
  putGroup(group: ContactGroup): Promise<void>;
  getGroup(appId: string, groupId: string): Promise<ContactGroup | undefined>;
  listGroups(appId: string): Promise<ContactGroup[]>;
  deleteGroup(appId: string, groupId: string): Promise<boolean>;
}

export interface NotifierStore {
  put(notifier: Notifier): Promise<void>;
  get(appId: string, notifierId: string): Promise<Notifier | undefined>;
  list(appId: string, page: PageRequest): Promise<Page<Notifier>>;
  delete(appId: string, notifierId: string): Promise<boolean>;
  /** An app and all its notifiers in one read, as routing needs them. */
  routingView(appId: string): Promise<{ app?: App; notifiers: Notifier[] }>;
  /** Notes the start of a run of failed deliveries (kept if one is already noted). */
  markFailing(appId: string, notifierId: string, since: string): Promise<void>;
  /** A delivery went through: the notifier's endpoint works. */
  clearFailing(appId: string, notifierId: string): Promise<void>;
  /** Notifiers failing since before `before`. */
  failingSince(before: Date): Promise<Notifier[]>;
}

/** A notifier that chose not to send an event, and why. */
export interface Declined {
  notifierId: string;
  reason: string;
}

export interface IdempotencyRecord {
  requestHash: string;
  eventId: string;
  /** Unix seconds; the record means nothing after. */
  expiresAt: number;
  /** When the request that claimed it began: a claim whose event was never stored is taken over after 30 s. */
  claimedAt: string;
}

/** What POST /v1/events answered for an event, as its stored record says (a repeat gets it again). */
export interface StoredAnswer {
  deliveries: number;
  unchanged: boolean;
  declined: Declined[];
}

/**
 * Events, each stored as one record with its deliveries (their statuses and attempts
 * live there: see DeliveryStore), and idempotency keys.
 */
export interface EventStore {
  /**
   * Claims an idempotency key (one conditional write): undefined when it is this request's;
   * when it was claimed before (and has not expired), that claim.
   */
  claimIdempotencyKey(appId: string, key: string, record: IdempotencyRecord, nowSeconds: number): Promise<IdempotencyRecord | undefined>;
  /** Takes over a claim whose request died before storing its event (conditional on the claim being unchanged). */
  takeOverIdempotencyKey(appId: string, key: string, claimedAt: string, now: string): Promise<boolean>;
  /**
   * Stores the event and its deliveries (one write). Called once the deliveries are on
   * their queues: a delivery a claim already wrote (its attempt came first) is kept as it
   * is, and a request resumed writes only what is missing.
   */
  save(event: HeraldEvent, deliveries: Delivery[], answer: Pick<StoredAnswer, 'unchanged'>): Promise<void>;
  get(appId: string, eventId: string): Promise<HeraldEvent | undefined>;
  /** The answer the event's ingest gave, from its record; undefined when the event is not stored (yet). */
  answerOf(appId: string, eventId: string): Promise<StoredAnswer | undefined>;
  list(appId: string, page: PageRequest): Promise<Page<HeraldEvent>>;
}

/** Which deliveries of an app to list; every field narrows the list. */
export interface DeliveryFilter {
  /** Any of these statuses, as shown (a delivery claimed for an attempt reads as queued, or retrying once it has attempts). */
  statuses?: ShownDeliveryStatus[];
  channel?: ChannelName;
  notifierId?: string;
  eventId?: string;
  eventType?: string;
  /** Created at or after this time. */
  since?: Date;
  /** Created before this time. */
  until?: Date;
}

/** What became of a notifier's deliveries created within a window. */
export interface NotifierStats {
  counts: { sent: number; failed: number; dead: number; pending: number; suppressed: number; grouped: number; coalesced: number };
  /** The provider's answer time over every attempt of those deliveries; null when there was none. */
  latencyMs: { p50: number; p95: number } | null;
  /** The newest of those deliveries. */
  last?: { deliveryId: string; status: ShownDeliveryStatus; at: string };
  /**
   * False when the reading stopped at its bound before the window's start: the figures
   * cover the deliveries created from `coveredSince` on.
   */
  complete: boolean;
  coveredSince: string;
}

/**
 * Deliveries: their statuses and attempts, stored in their event's record. The claim that
 * keeps a delivery from being sent twice, and the outcome of its attempt, are one write
 * each for all the deliveries of one queue message (an event's deliveries on one family's
 * queue).
 */
export interface DeliveryStore {
  /** An app's deliveries (or the installation's, `*`), newest first. */
  list(appId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>>;
  /** The figures of one notifier's deliveries in an app created within [since, until). */
  stats(appId: string, notifierId: string, window: { since: Date; until: Date }): Promise<NotifierStats>;
  get(appId: string, deliveryId: string): Promise<Delivery | undefined>;
  /**
   * Claims deliveries of one event for an attempt each, in one conditional write (a
   * `queued` delivery, a `retrying` one that is due, one whose claim went stale because
   * its function died mid-send; one the store has not seen yet is created from its ref,
   * and the record from `event`). For each: its claim; `done` when there is nothing to
   * send now (sent, failed, dead, suppressed, or held by another attempt, whose own
   * message comes back if that attempt dies): this message may go; or `later` when it is
   * not due yet: the message must come back then.
   */
  claim(deliveries: DeliveryRef[], now: Date, event: HeraldEvent): Promise<ClaimResult[]>;
  /** Records how attempts (or decisions without one) ended, for deliveries of one event: one write. */
  record(outcomes: RecordedOutcome[]): Promise<void>;
  /**
   * Makes a dead (or, given `from`, a failed) delivery sendable again, with a fresh set of
   * attempts (a redrive, a resend): false when it was not in that status.
   */
  revive(delivery: DeliveryRef, now: Date, from?: 'dead' | 'failed'): Promise<boolean>;
  /**
   * Deliveries no queue holds, that the sweeper should queue before `before`, oldest first:
   * their enqueue failed, or they are held until a time (quiet hours). Everything else is
   * on a queue, retries included (their message waits hidden until they are due).
   */
  unqueued(before: Date, limit: number): Promise<Delivery[]>;
  /** No queue holds this delivery: the sweeper should queue it at `at` (again, if it is noted already). */
  markUnqueued(delivery: DeliveryRef, at: Date): Promise<void>;
  /** A queue holds it now (or it ended): the sweeper may forget it. */
  markQueued(delivery: DeliveryRef): Promise<void>;
  /** A family's dead deliveries (its dead letters), by delivery id: those of the oldest events first. */
  listDead(family: Family, page: PageRequest): Promise<Page<Delivery>>;
  countDead(family: Family): Promise<number>;
}

export type DeliveryRef = DeliveryMessage['delivery'];

export interface Claim {
  /** The attempt's number in the delivery's log. */
  n: number;
  /** The attempt's number since the delivery was last redriven: what the retry schedule counts. */
  attemptInRound: number;
}

/** What a claim found for one delivery, in the order they were given. */
export type ClaimResult = { claim: Claim } | { done: true } | { later: Date };

export interface RecordedOutcome {
  delivery: DeliveryRef;
  outcome: Outcome;
}

export interface Outcome {
  status: Exclude<DeliveryStatus, 'queued' | 'sending'>;
  attempt?: Attempt;
  reason?: string;
  /** When the next attempt is due (status `retrying`). */
  nextAttemptAt?: Date;
  /** The attempt is in the log but not counted against the retry schedule (a 429: the provider's pace, not a failure). */
  notCounted?: true;
}

/** What a channel function knows of a notifier before it sends (cached 30 s). */
export interface NotifierStatus {
  exists: boolean;
  enabled: boolean;
  failingSince?: string;
}

/** Counts of events in a sliding-from-first window (throttles, occurrences). */
export interface RepeatCounter {
  /**
   * Counts one more `key` in `scope`; a window starts at the first count and lasts
   * `windowSeconds`. Returns the count. Past `enough` the exact number no longer changes
   * the caller's decision: the counter may then answer from what this process saw (a number
   * above `enough`, at least the count it last read) until the window ends, without a
   * write: a storm of one repeat does not write one item thousands of times a second.
   */
  count(scope: string, key: string, windowSeconds: number, now: Date, enough?: number): Promise<number>;
}

export interface KnownState {
  status: string;
  since: string;
  /** The notifiers told of this status (for a failure: who must hear of the recovery). */
  notified?: string[];
  /** A failure's incident (kept from one failing status to the next, gone with the recovery). */
  incident?: string;
  /** The groups the failure joined, by notifier (its recovery joins the same). */
  groups?: Record<string, string>;
}

/** The last known status of the things an app's events report on (checks, monitors, servers). */
export interface StateStore {
  /**
   * Sets the status; returns whether it changed, and the state before. With `incident` (a
   * failure's), the state keeps the incident it has, else takes this one; with `null` (a
   * recovery), it drops it.
   */
  change(
    appId: string,
    key: string,
    status: string,
    now: Date,
    incident?: string | null,
  ): Promise<{ changed: boolean; previous?: KnownState }>;
  /** Notes who was told of the current status, and the groups it joined by notifier. */
  noteNotified(appId: string, key: string, notifierIds: string[], groups?: Record<string, string>): Promise<void>;
}

/** A failure a silence held: told when the silence ends. */
export interface HeldFailure {
  stateKey: string;
  /** The event's app (a global silence holds several apps' failures). */
  appId: string;
  eventId: string;
}

/** The incidents of checks (incidents.ts): opened by a failure, acknowledged by a person, resolved by the recovery or by hand. */
export interface IncidentStore {
  /** Stores a new incident, and its app under its id; nothing when it exists (a resumed request opens it again). */
  open(incident: Incident): Promise<void>;
  get(appId: string, incidentId: string): Promise<Incident | undefined>;
  /** The app of an incident, from its id alone (what a one-click link names). */
  appOf(incidentId: string): Promise<string | undefined>;
  /** The app's incidents, newest first, of one status or all. */
  list(appId: string, filter: { status?: IncidentStatus }, page: PageRequest): Promise<Page<Incident>>;
  /** Another failure of it (a worse or better failing status): its severity, title and latest event. */
  noteFailure(appId: string, incidentId: string, failure: Pick<Incident, 'severity' | 'title' | 'lastEventId'>): Promise<void>;
  /** Adds who was told of it (at most TOLD_KEPT are kept). */
  noteTold(appId: string, incidentId: string, told: Told[]): Promise<void>;
  /** open → acknowledged: the incident as it is now, or undefined when it is not open (none, acknowledged or resolved already). */
  acknowledge(appId: string, incidentId: string, ack: { by: string; note?: string; at: Date }): Promise<Incident | undefined>;
  /** open or acknowledged → resolved: the incident as it is now, or undefined when there is none or it is resolved already. */
  resolve(appId: string, incidentId: string, resolution: { by: string; at: Date }): Promise<Incident | undefined>;
  /** Every incident of the app goes (the app is deleted). */
  deleteAll(appId: string): Promise<void>;
}

/** A group of a notifier's events (core/grouping.ts) as stored: the notification it is gathering, who is failing, the last one sent. */
export interface StoredGroup {
  key: string;
  appId: string;
  notifierId: string;
  by: Record<string, string>;
  /** The notification being gathered. */
  seq: number;
  /** When it started gathering (epoch ms): its carrier's id is made from it. */
  seqStartedAt?: number;
  /** Members that came for it, the first few, and how many. */
  items: GroupMember[];
  count: number;
  /** Members failing now, by member key. */
  firing: Record<string, GroupMember>;
  /** How many of each type came for the notification being gathered. */
  types: Record<string, number>;
  /** When it is due; absent: none scheduled. */
  flushAt?: string;
  lastSentAt?: string;
  /** The last notification taken: what a retry of it sends again. */
  sent?: GroupNotice;
}

/** A member joining a group (services/grouping.ts decides the values; the store makes the write conditional). */
export interface GroupJoin {
  key: string;
  appId: string;
  notifierId: string;
  by: Record<string, string>;
  /** The notification the member joins: the one the group was at when read (1 for a new group). */
  seq: number;
  /** When it is due, if none is scheduled yet. */
  flushAt: string;
  startedAt: number;
  member: GroupMember;
  /** List the member (the first few are listed; the rest are counted). */
  list: boolean;
  /** A failure is noted failing under this key; a recovery ends the failure noted under it. */
  memberKey?: string;
  /** The type it is counted as (its own, or `(other types)` past the types a group counts one by one). */
  countAs: string;
  /** When the group may go if nothing more happens (TTL, unix seconds). */
  expiresAt: number;
}

/** A window opened by its first event, which is sent at once (a digest's `sendFirst`): the group as a join names it, with no member. */
export type GroupOpen = Omit<GroupJoin, 'member' | 'list' | 'memberKey' | 'countAs'>;

export interface GroupStore {
  get(key: string): Promise<StoredGroup | undefined>;
  /** Opens notification `seq`'s window, due at `flushAt`, with no member: false when one is open already. */
  open(open: GroupOpen): Promise<boolean>;
  /** Adds a member to notification `seq`: the group after it, or undefined when the group moved on (read it again). */
  join(join: GroupJoin): Promise<StoredGroup | undefined>;
  /** Brings notification `seq` forward to `flushAt` (not later than it was): false when the group moved on or it was sooner. */
  hasten(key: string, seq: number, flushAt: string): Promise<boolean>;
  /**
   * Takes notification `seq` as `notice` says it, if no member joined since it was read
   * (`notice.count` is still the count), keeps it as what was sent, and starts gathering the
   * next, due at `repeatAt` when members are still failing: false when it was taken already
   * or a member joined meanwhile (read it again).
   */
  take(key: string, notice: GroupNotice, now: Date, repeatAt: Date | undefined, expiresAt: number): Promise<boolean>;
}

/** Servers that send heartbeats. */
export interface HeartbeatStore {
  /** Notes a heartbeat; returns the server as it was before (undefined for a new one). */
  beat(appId: string, server: string, at: Date): Promise<Server | undefined>;
  /** Online servers last seen before `before`, oldest first. */
  silentSince(before: Date, limit: number): Promise<Server[]>;
  /** Marks an online server offline, if no heartbeat came since `lastSeenAt`; false otherwise. */
  markOffline(server: Server, at: Date): Promise<boolean>;
  /** Forgets a server, if no heartbeat came since `lastSeenAt`; false otherwise. */
  forget(server: Server): Promise<boolean>;
  /** An app's servers, by name. */
  list(appId: string): Promise<Server[]>;
}

/** A delivery a queue did not take: refused for good (its content, its size), or only for now (throttled, unreachable). */
export interface NotQueued {
  deliveryId: string;
  reason: string;
  permanent: boolean;
}

/**
 * A timer: what to do when (a group's next notification; later, digests and escalation
 * steps). Plain data: it travels on the timer queue as JSON.
 */
export type Timer = GroupTimer | SilenceEndTimer | EscalationTimer | FailoverTimer;

export interface GroupTimer {
  kind: 'group';
  appId: string;
  notifierId: string;
  /** The group's key (core/grouping.ts). */
  group: string;
  /** The group's notification this timer is for: a timer for one already sent does nothing. */
  seq: number;
}

/** A silence ends (its time, or DELETE): the failures it held that are still failing are told. */
export interface SilenceEndTimer {
  kind: 'silence-end';
  appId: string;
  silenceId: string;
}

/** An escalation policy's step (1-based) of a round is due: sent if its incident is still open. */
export interface EscalationTimer {
  kind: 'escalation';
  appId: string;
  incidentId: string;
  /** The policy's notifier. */
  notifierId: string;
  step: number;
  round: number;
}

/**
 * A delivery failed, died, or may still be unsent (`late`): the entry of a failover list
 * (1-based) gets its event, unless the delivery went through meanwhile.
 */
export interface FailoverTimer {
  kind: 'failover';
  appId: string;
  deliveryId: string;
  /** The notifier whose failover list it is. */
  notifierId: string;
  entry: number;
  why: 'failed' | 'late';
}

/**
 * Timers to the second (issue 17: a 3 s repeat fires at about 3 s), on a queue of their own
 * with SQS's delays: a timer further off than SQS's 900 s comes back early and is set again
 * for what is left (services/timers.ts), so any length works. At least once: a timer may fire
 * twice, so what it does is decided by a conditional write (a group's `seq`).
 */
export interface TimerQueue {
  set(timers: { timer: Timer; at: Date }[]): Promise<void>;
}

/** The channel queues. */
export interface DeliveryQueue {
  /** Sends the messages to their families' queues; returns those it could not queue, and why. */
  enqueue(messages: DeliveryMessage[]): Promise<NotQueued[]>;
}

/**
 * The hold a channel function has on the queue message it is working on: the deliveries
 * of one event on its family's queue.
 */
export interface ReceivedMessage {
  /** Offer the message again after this many seconds (its visibility). */
  retryIn(seconds: number): Promise<void>;
  /** Put the message in the channel's dead-letter queue. */
  deadLetter(): Promise<void>;
  /**
   * Offer these of its deliveries again after this many seconds (at most 900), as a new
   * message: the wait counts as no attempt and no receive (SQS's maxReceiveCount is a
   * backstop for crashes only). The message itself stays as it is: acknowledge it, or
   * retry it, as for its other deliveries.
   */
  setAside(seconds: number, deliveries: DeliveryMessage[]): Promise<void>;
}

/**
 * The dead-letter queues, one per channel family. The dead delivery records are the dead
 * letters (they survive local mode's restarts, and a delivery resent on its own leaves
 * them); a queue holds copies of its dead deliveries' messages, for operators and alarms,
 * and the messages of deliveries whose function kept crashing (SQS's maxReceiveCount),
 * whose records the sweeper queues again.
 */
export interface DeadLetterQueues {
  /**
   * Takes the messages out of a family's DLQ, a batch at a time, until it is empty, `max`
   * are taken or `deadline` (epoch ms) has passed: `handle` gets each batch, which is
   * deleted once it resolves. Returns how many were taken.
   */
  drain(family: Family, limits: { max: number; deadline: number }, handle: (messages: DeliveryMessage[]) => Promise<void>): Promise<number>;
}

/**
 * The order of each incident's updates (PagerDuty, Opsgenie). SQS keeps no order, so a
 * resolve may overtake its trigger: an update older than one already sent is not sent.
 */
export interface IncidentLedger {
  /**
   * Notes `stamp` as the incident's newest update, unless a newer one is noted: true when
   * this update may go out (it is the newest so far, or the same one again, on a retry).
   */
  advance(appId: string, incident: string, stamp: string): Promise<boolean>;
}

/**
 * Pacing's state (core/pacing.ts), shared by every function instance: each destination's
 * bucket (its GCRA "theoretical arrival time"), and the notifications coalesced while a
 * destination is backed up. Every change is one conditional write.
 */
export interface PacingStore {
  /** The destination's tat (epoch ms), 0 for a bucket never used. */
  tatOf(destination: string): Promise<number>;
  /** Sets the tat to `next` if it is still `expected` (0: none stored): false when another reservation came first (read it again). */
  moveTat(destination: string, expected: number, next: number): Promise<boolean>;
  /** The carrier of the coalesced notification being gathered under `key`, if one is open. */
  openCarrier(key: string): Promise<string | undefined>;
  /** Opens a notification under `key` carried by `carrierId`, if none is open or `previous` (taken) is: false when another opened one first. */
  open(key: string, carrierId: string, previous: string | undefined): Promise<boolean>;
  /** Adds a member to the notification `carrierId` carries: false when it was taken (sent) already. */
  join(carrierId: string, member: GroupMember): Promise<boolean>;
  /** Takes the notification `carrierId` carries (no member joins after): its members, listed and counted (the same again on a retry). */
  take(carrierId: string): Promise<{ items: GroupMember[]; count: number }>;
}

/** Changes to stored data that this version needs, made once, a little at a time. */
export interface DataMigrations {
  /** Goes on with the pending migrations until `deadline` (epoch ms): true once all are done. */
  run(deadline: number): Promise<boolean>;
}

/** What a provider answered for a sent delivery. */
export interface SendResult {
  statusCode?: number;
  providerMessageId?: string;
  /** Nothing was sent, on purpose, and why (an incident update older than one already sent). */
  suppressed?: string;
  /** The provider says its rate limit is spent for this many seconds (Discord's X-RateLimit-Reset-After): pacing waits as long. */
  spentForSeconds?: number;
}

/** The SES port of the email channel (adapter: shared/aws/ses-email-sender.ts). */
export interface EmailSender {
  send(mail: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html: string;
    headers: Record<string, string>;
  }): Promise<SendResult>;
}

/** The SNS port of the SMS channel (adapter: shared/aws/sns-sms-sender.ts). */
export interface SmsSender {
  send(sms: { to: string; text: string }): Promise<SendResult>;
}
