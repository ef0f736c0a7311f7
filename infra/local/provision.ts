import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Family } from '../../shared/core/types.js';
import { channelQueues, DELIVERY, TABLE, timerQueue, VISIBILITY_TIMEOUT_SECONDS } from '../../shared/resources.js';

/**
 * Create the table, the channel queues and the timer queue on the emulators, from the same definitions as
 * the CDK app (shared/resources.ts). Safe to run on every start.
 */
export async function provisionTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  const attributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of TABLE.indexes) attributes.add(index.partitionKey).add(index.sortKey);
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      }),
    );
    // TTL is not set: dynalite refuses UpdateTimeToLive, and nothing depends on it.
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
}

export interface ProvisionedQueue {
  url: string;
  dlqUrl: string;
}

export async function provisionQueues(sqs: SQSClient, prefix: string): Promise<Record<Family, ProvisionedQueue>> {
  const out = {} as Record<Family, ProvisionedQueue>;
  for (const def of channelQueues(prefix)) out[def.family] = await provisionQueue(sqs, def);
  return out;
}

/** The timer queue and its DLQ (shared/resources.ts: the family queues' settings). */
export const provisionTimerQueue = (sqs: SQSClient, prefix: string): Promise<ProvisionedQueue> => provisionQueue(sqs, timerQueue(prefix));

async function provisionQueue(sqs: SQSClient, def: { queueName: string; dlqName: string }): Promise<ProvisionedQueue> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: def.dlqName,
      Attributes: { MessageRetentionPeriod: String(DELIVERY.dlqRetentionDays * 24 * 3600) },
    }),
  );
  const dlqUrl = dlq.QueueUrl as string;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: def.queueName,
      Attributes: {
        VisibilityTimeout: String(VISIBILITY_TIMEOUT_SECONDS),
        MessageRetentionPeriod: String(DELIVERY.queueRetentionDays * 24 * 3600),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: attrs.Attributes?.['QueueArn'], maxReceiveCount: DELIVERY.maxReceiveCount }),
      },
    }),
  );
  return { url: queue.QueueUrl as string, dlqUrl };
}
