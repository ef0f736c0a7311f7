import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { KnownState, StateStore } from '../core/ports.js';
import { isConditionFailure, type Table } from './dynamo-table.js';

/*
 * Items:  STATE#<appId> / <key>   { status, since, notified }
 */
export class DynamoStateStore implements StateStore {
  constructor(private readonly table: Table) {}

  async change(appId: string, key: string, status: string, now: Date): Promise<{ changed: boolean; previous?: KnownState }> {
    try {
      const out = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: `STATE#${appId}`, sk: key },
          UpdateExpression: 'SET #status = :status, since = :now REMOVE notified',
          ConditionExpression: 'attribute_not_exists(pk) OR #status <> :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status, ':now': now.toISOString() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const old = out.Attributes;
      if (!old) return { changed: true };
      return {
        changed: true,
        previous: {
          status: String(old['status']),
          since: String(old['since']),
          ...(Array.isArray(old['notified']) ? { notified: old['notified'] as string[] } : {}),
        },
      };
    } catch (err) {
      if (isConditionFailure(err)) return { changed: false };
      throw err;
    }
  }

  async noteNotified(appId: string, key: string, notifierIds: string[]): Promise<void> {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: { pk: `STATE#${appId}`, sk: key },
        UpdateExpression: 'SET notified = :ids',
        ExpressionAttributeValues: { ':ids': notifierIds },
      }),
    );
  }
}
