import type { ApiKey, App, Attempt, Delivery, DeliveryMessage, DeliveryStatus, HeraldEvent, Notifier } from './types.js';

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
}

export interface IdempotencyRecord {
  requestHash: string;
  eventId: string;
  deliveries: number;
  expiresAt: number;
}

export interface EventStore {
  /** Claims an idempotency key; when it was claimed before (and has not expired), returns that record. */
  claimIdempotencyKey(appId: string, key: string, record: IdempotencyRecord, nowSeconds: number): Promise<IdempotencyRecord | undefined>;
  /** Writes the event and its deliveries, in batches. */
  save(event: HeraldEvent, deliveries: Delivery[]): Promise<void>;
  get(appId: string, eventId: string): Promise<HeraldEvent | undefined>;
  list(appId: string, page: PageRequest): Promise<Page<HeraldEvent>>;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  notifierId?: string;
  eventId?: string;
}

export interface DeliveryStore {
  list(appId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>>;
  get(appId: string, deliveryId: string): Promise<Delivery | undefined>;
  /**
   * Claims a delivery for one attempt (a conditional write): only a `queued` or `retrying`
   * delivery, or one whose claim went stale (a crash mid-send), can be claimed. Returns the
   * attempt number, or undefined when there is nothing to send (already sent, or gone).
   */
  claim(delivery: DeliveryMessage['delivery'], now: Date): Promise<number | undefined>;
  /** Records an attempt's outcome and the delivery's new status. */
  recordAttempt(delivery: DeliveryMessage['delivery'], attempt: Attempt, status: DeliveryStatus, reason?: string): Promise<void>;
  /** Deliveries that wait to be sent (`queued`, `retrying`, or a stale `sending`). */
  pending(): AsyncIterable<Delivery>;
}

/** The channel queues. */
export interface DeliveryQueue {
  /** Sends the messages to their channels' queues; returns the delivery ids it could not queue. */
  enqueue(messages: DeliveryMessage[]): Promise<string[]>;
}
