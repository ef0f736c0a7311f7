import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createTable } from './aws/dynamo-table.js';
import { DynamoDeliveryStore } from './aws/dynamo-delivery-store.js';
import type { Channel, SendContext } from './channels/channel.js';
import type { Config } from './config.js';
import type { DeliveryMessage } from './core/types.js';
import { DELIVERY } from './resources.js';
import { deliver } from './services/deliver.js';
import { logger } from './telemetry.js';

/**
 * A channel function: SQS batch in, one delivery attempt per record, the failures reported
 * back (ReportBatchItemFailures) so that only they are offered again.
 */
export function channelFunction(
  channel: Channel<any>,
  config: Config,
  send: Omit<SendContext, 'httpTimeoutMs' | 'now'>,
  clients: { dynamodb?: DynamoDBClient } = {},
): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const table = createTable(config.tableName, {
    region: config.region,
    endpoint: config.endpoints.dynamodb,
    ...(clients.dynamodb ? { client: clients.dynamodb } : {}),
  });
  const deliveries = new DynamoDeliveryStore(table);
  const clock = () => new Date();
  const deps = { channel, deliveries, clock, context: { ...send, httpTimeoutMs: DELIVERY.httpTimeoutMs, now: clock } };
  const processor = new BatchProcessor(EventType.SQS);
  return async (event, context) => {
    if (context) logger.addContext(context);
    return processPartialResponse(event, (record: SQSRecord) => deliver(deps, JSON.parse(record.body) as DeliveryMessage), processor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
    });
  };
}

/** SDK settings for provider calls: one try per attempt (Herald retries itself), bounded in time. */
export const providerClientConfig = (config: Config, endpoint: string | undefined) => ({
  region: config.region,
  maxAttempts: 1,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: DELIVERY.httpTimeoutMs },
  ...(endpoint ? { endpoint } : {}),
});
