import { DEFAULT_RETRY_SCHEDULE } from './core/retry-policy.js';
import { FAMILY_NAMES, type Family } from './core/types.js';

/**
 * The resources Herald needs, defined once: the CDK app (infra/) and the local runtime
 * (infra/local/) both read these, so a key name or a redrive count cannot drift.
 */

/** One table holds apps, keys, notifiers, events, deliveries and idempotency records. */
export const TABLE = {
  logicalName: 'herald',
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    // apps by id (for listing)
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    // sparse: notifiers failing since when; servers online, by when last heard from; deliveries no queue holds, by when due
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  ttlAttribute: 'expiresAt',
} as const;

/**
 * What each function may do to the table, as the stack grants it (infra/) and as the tests'
 * DynamoDB clients enforce it (test/support/table-policy.ts), since the emulator checks no
 * IAM: a call a function makes that its role does not allow fails the tests as it would fail
 * on AWS. `leadingKeys`: the partition keys (IAM's dynamodb:LeadingKeys, `*` a wildcard) a
 * channel function may touch; the api, ingest and the sweeper work on any item and index.
 */
export const TABLE_ACCESS = {
  service: {
    actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem', 'BatchWriteItem'],
    /** The sweeper's data migrations (shared/aws/dynamo-migrations.ts): a filtered scan, once per migration. */
    sweeperActions: ['Scan'],
  },
  channel: {
    actions: ['GetItem', 'PutItem', 'UpdateItem'],
    /**
     * Events' records and their parts (claims, outcomes), the markers of failed and dead
     * deliveries, apps and their notifiers; pacing's buckets and coalesced notifications.
     */
    leadingKeys: ['EVT#*', 'EVP#*', 'ATTN#*', 'DEAD#*', 'APP#*', 'PACE#*', 'COAL#*', 'COALN#*'],
    /** The incident family keeps the order of incident updates too. */
    incidentLeadingKeys: ['INC#*'],
  },
} as const;

/**
 * What a channel function may do to its own family's queues beyond consuming them (Lambda's
 * event source receives and deletes), as the stack grants it and the tests' SQS clients
 * enforce it: put deliveries back on its queue (set aside from a slow destination, or due at
 * another time than the rest of their message) and dead-letter onto its DLQ; set timers (a
 * failover). No other queue.
 */
export const QUEUE_ACCESS = {
  channel: {
    queue: ['SendMessage', 'ChangeMessageVisibility', 'DeleteMessage'],
    dlq: ['SendMessage'],
    /** A delivery that ends failed or dead sets its failover's timer (services/failover.ts). */
    timers: ['SendMessage'],
  },
} as const;

/** How many retries and how long a channel function may take. */
export const DELIVERY = {
  /** Lambda timeout of a channel function; HTTP calls time out well before it. */
  functionTimeoutSeconds: 30,
  httpTimeoutMs: 10_000,
  batchSize: 10,
  maxBatchingWindowSeconds: 1,
  /**
   * Instances of one family's function at most (Lambda's event source maxConcurrency): the
   * seven families stay well within an account's 1,000, beside the api. Within each, a
   * slow destination holds a few attempts at once only (services/destination-load.ts).
   */
  maxConcurrency: 50,
  /**
   * The SQS receive count is only a backstop for crashes: the attempt count lives in the
   * delivery record. Attempts + 5 (docs/concepts.md, "Delivery: claim, attempt, outcome").
   */
  maxReceiveCount: DEFAULT_RETRY_SCHEDULE.length + 1 + 5,
  /** How long a queued message is kept: longer than the whole default retry schedule (about 28 h). */
  queueRetentionDays: 4,
  /** How long a dead delivery waits in its DLQ for a redrive: SQS's longest. */
  dlqRetentionDays: 14,
  /** A claim older than this is taken to be from a function that died mid-send. */
  staleClaimSeconds: 60,
} as const;

/**
 * The sweeper: every minute it re-enqueues deliveries that should be on a queue and are
 * overdue by more than the grace period (an enqueue that failed, a message lost), and
 * disables notifiers whose endpoint has failed every delivery for `disableAfterDays`.
 */
export const SWEEPER = {
  everyMinutes: 1,
  /** Local mode's timer: no EventBridge minute there, and a sweep costs little. */
  localEverySeconds: 10,
  graceSeconds: 60,
  /** At most this many deliveries per run; the next run takes the rest. */
  maxPerRun: 1000,
  disableAfterDays: 5,
  /**
   * A delivery the sweeper finds due longer ago than this is overdue (the `OverdueDeliveries`
   * metric, alarmed on): one held by quiet hours or refused by its queue once is found within
   * a run or two of its time; five minutes means the queue keeps refusing or the sweeper stopped.
   */
  overdueAfterSeconds: 300,
} as const;

/** Partitions of the markers of deliveries no queue holds (PEND#<n>): spread so that none runs hot. */
export const PENDING_SHARDS = 8;
/** Partitions of each family's dead letters (DEAD#<family>#<n>): a receiver down for a big app must not make one hot. */
export const DEAD_SHARDS = 16;

/** How long events and their deliveries are kept by default (HERALD_RETENTION_DAYS, herald:retentionDays). */
export const DEFAULT_RETENTION_DAYS = 30;

/** A retention setting (HERALD_RETENTION_DAYS, herald:retentionDays): a whole number of days from 1 to 3650, one rule for both. */
export function retentionDaysOf(value: unknown, setting: string): number {
  const days = Number(value);
  if (!(Number.isInteger(days) && days >= 1 && days <= 3650))
    throw new Error(`Herald: ${setting} must be a whole number of days from 1 to 3650`);
  return days;
}

/** AWS advises a visibility timeout of at least six times the function's timeout. */
export const VISIBILITY_TIMEOUT_SECONDS = DELIVERY.functionTimeoutSeconds * 6;

/** A channel family's queue and DLQ. */
export interface ChannelQueueDefinition {
  family: Family;
  queueName: string;
  dlqName: string;
}

export function channelQueues(prefix = 'herald'): ChannelQueueDefinition[] {
  return FAMILY_NAMES.map((family) => ({ family, queueName: `${prefix}-${family}`, dlqName: `${prefix}-${family}-dlq` }));
}

/**
 * The timer queue (services/timers.ts): a group's next notification, to the second, by SQS's
 * delays. Consumed by the sweeper function, whose timeout (2 minutes) the visibility timeout
 * must cover: the family queues' settings fit, and local mode's engine gives every queue
 * those. A timer whose handler keeps failing goes to the DLQ (alarmed on) after the same
 * redrive count.
 */
export function timerQueue(prefix = 'herald'): { queueName: string; dlqName: string } {
  return { queueName: `${prefix}-timers`, dlqName: `${prefix}-timers-dlq` };
}

export const TIMERS = {
  /** Batches the sweeper takes from the timer queue, and its instances on it at most. */
  batchSize: 10,
  maxConcurrency: 10,
  /** The environment variable that carries the timer queue's URL to the functions that set timers (api, ingest, sweeper). */
  queueUrlVariable: 'HERALD_TIMER_QUEUE_URL',
} as const;

/** The environment variable that carries a family queue's URL to the functions. */
export const queueUrlVariable = (family: Family): string => `HERALD_QUEUE_URL_${family.toUpperCase()}`;
export const dlqUrlVariable = (family: Family): string => `HERALD_DLQ_URL_${family.toUpperCase()}`;
