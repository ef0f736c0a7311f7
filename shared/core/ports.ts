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

/**
 * The ports the services use. Each has one DynamoDB or SQS adapter in shared/aws/ and an
 * in-memory fake in the unit tests.
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
  deliveries: number;
  /** The rest of the first answer (records written before they existed have none). */
  unchanged?: boolean;
  declined?: Declined[];
  /** Unix seconds; the record means nothing after. */
  expiresAt: number;
  /** `pending` from the claim until the event and its deliveries are stored. */
  state: 'pending' | 'done';
  claimedAt: string;
}

export interface EventStore {
  /** Claims an idempotency key; when it was claimed before (and has not expired), returns that record. */
  claimIdempotencyKey(appId: string, key: string, record: IdempotencyRecord, nowSeconds: number): Promise<IdempotencyRecord | undefined>;
  /** Takes over a pending claim whose request died (conditional on the claim being unchanged). */
  takeOverIdempotencyKey(appId: string, key: string, claimedAt: string, now: string): Promise<boolean>;
  /** The event and its deliveries are stored: later repeats get the answer. */
  completeIdempotencyKey(
    appId: string,
    key: string,
    answer: Pick<IdempotencyRecord, 'deliveries' | 'unchanged' | 'declined'>,
  ): Promise<void>;
  /**
   * Writes the event and its deliveries, in batches; with `keepExisting`, one by one and
   * only those not yet written (resuming a request that died half-way).
   */
  save(event: HeraldEvent, deliveries: Delivery[], options?: { keepExisting?: boolean }): Promise<void>;
  get(appId: string, eventId: string): Promise<HeraldEvent | undefined>;
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
  counts: { sent: number; failed: number; dead: number; pending: number; suppressed: number };
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

export interface DeliveryStore {
  /** An app's deliveries (or the installation's, `*`), newest first. */
  list(appId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>>;
  /** The figures of one notifier's deliveries in an app created within [since, until). */
  stats(appId: string, notifierId: string, window: { since: Date; until: Date }): Promise<NotifierStats>;
  get(appId: string, deliveryId: string): Promise<Delivery | undefined>;
  /**
   * Claims a delivery for one attempt (a conditional write): a `queued` delivery, a
   * `retrying` one that is due, or one whose claim went stale (a function that died
   * mid-send). Undefined when there is nothing to send now: already sent, failed or dead,
   * claimed by another attempt, not yet due, or gone.
   */
  claim(delivery: DeliveryRef, now: Date): Promise<Claim | undefined>;
  /** Records how an attempt (or a decision without one) ended: the new status, its attempt. */
  record(delivery: DeliveryRef, outcome: Outcome): Promise<void>;
  /**
   * Makes a dead (or, given `from`, a failed) delivery sendable again, with a fresh set of
   * attempts (a redrive, a resend): false when it was not in that status.
   */
  revive(delivery: DeliveryRef, now: Date, from?: 'dead' | 'failed'): Promise<boolean>;
  /**
   * Deliveries that should be on a queue and that the sweeper should look at before
   * `before` (their due time plus the sweeper's grace; a claim's stale time), oldest first.
   */
  due(before: Date, limit: number): Promise<Delivery[]>;
  /** The sweeper dealt with it: look at it again only after `until`, if it still waits. */
  snooze(delivery: Pick<Delivery, 'appId' | 'id'>, until: Date): Promise<void>;
  /** A family's dead deliveries (its dead letters), the longest dead first. */
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

export interface Outcome {
  status: Exclude<DeliveryStatus, 'queued' | 'sending'>;
  attempt?: Attempt;
  reason?: string;
  /** When the next attempt is due (status `retrying`). */
  nextAttemptAt?: Date;
}

/** What a channel function knows of a notifier before it sends (cached 30 s). */
export interface NotifierStatus {
  exists: boolean;
  enabled: boolean;
  failingSince?: string;
}

/** Counts of events in a sliding-from-first window (throttles, occurrences). */
export interface RepeatCounter {
  /** Counts one more `key` in `scope`; a window starts at the first count and lasts `windowSeconds`. Returns the count. */
  count(scope: string, key: string, windowSeconds: number, now: Date): Promise<number>;
}

export interface KnownState {
  status: string;
  since: string;
  /** The notifiers told of this status (for a failure: who must hear of the recovery). */
  notified?: string[];
}

/** The last known status of the things an app's events report on (checks, monitors, servers). */
export interface StateStore {
  /** Sets the status; returns whether it changed, and the state before. */
  change(appId: string, key: string, status: string, now: Date): Promise<{ changed: boolean; previous?: KnownState }>;
  /** Notes who was told of the current status. */
  noteNotified(appId: string, key: string, notifierIds: string[]): Promise<void>;
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

/** The channel queues. */
export interface DeliveryQueue {
  /** Sends the messages to their families' queues; returns those it could not queue, and why. */
  enqueue(messages: DeliveryMessage[]): Promise<NotQueued[]>;
}

/** The hold a channel function has on the message it is working on. */
export interface ReceivedMessage {
  /** Offer the message again after this many seconds (its visibility). */
  retryIn(seconds: number): Promise<void>;
  /** Put the message in the channel's dead-letter queue. */
  deadLetter(): Promise<void>;
  /**
   * Offer it again after this many seconds (at most 900) as a new message: the wait counts
   * as no attempt and no receive (SQS's maxReceiveCount is a backstop for crashes only).
   */
  setAside(seconds: number): Promise<void>;
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

/** Changes to stored data that this version needs, made once, a little at a time. */
export interface DataMigrations {
  /** Goes on with the pending migrations until `deadline` (epoch ms): true once all are done. */
  run(deadline: number): Promise<boolean>;
}
