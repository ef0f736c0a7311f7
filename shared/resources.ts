import { CHANNEL_NAMES, type ChannelName } from './core/types.js';

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
    // apps by id (for listing); deliveries of one event
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ],
  ttlAttribute: 'expiresAt',
} as const;

/** How many retries and how long a channel function may take. */
export const DELIVERY = {
  /** Lambda timeout of a channel function; HTTP calls time out well before it. */
  functionTimeoutSeconds: 30,
  httpTimeoutMs: 10_000,
  batchSize: 10,
  maxBatchingWindowSeconds: 1,
  /** The SQS retry count is only a backstop for crashes: the attempt count lives in the delivery record. */
  maxReceiveCount: 13,
} as const;

/** AWS advises a visibility timeout of at least six times the function's timeout. */
export const VISIBILITY_TIMEOUT_SECONDS = DELIVERY.functionTimeoutSeconds * 6;

export interface ChannelQueueDefinition {
  channel: ChannelName;
  queueName: string;
  dlqName: string;
}

export function channelQueues(prefix = 'herald'): ChannelQueueDefinition[] {
  return CHANNEL_NAMES.map((channel) => ({ channel, queueName: `${prefix}-${channel}`, dlqName: `${prefix}-${channel}-dlq` }));
}

/** The environment variable that carries a channel queue's URL to the functions. */
export const queueUrlVariable = (channel: ChannelName): string => `HERALD_QUEUE_URL_${channel.toUpperCase()}`;
