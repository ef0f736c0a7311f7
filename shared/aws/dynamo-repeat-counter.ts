import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RepeatCounter } from '../core/ports.js';
import { isConditionFailure, type Table } from './dynamo-table.js';

/*
 * Items:  CNT#<scope> / <key>   { count, windowStart, expiresAt }
 * Correct without TTL or transactions: an expired window is overwritten, conditionally.
 */
export class DynamoRepeatCounter implements RepeatCounter {
  constructor(private readonly table: Table) {}

  async count(scope: string, key: string, windowSeconds: number, now: Date): Promise<number> {
    const Key = { pk: `CNT#${scope}`, sk: key };
    const cutoff = new Date(now.getTime() - windowSeconds * 1000).toISOString();
    for (let tries = 0; tries < 5; tries++) {
      try {
        // The window is open: one more.
        const out = await this.table.client.send(
          new UpdateCommand({
            TableName: this.table.name,
            Key,
            UpdateExpression: 'ADD #count :one',
            ConditionExpression: 'windowStart > :cutoff',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':cutoff': cutoff },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        return Number(out.Attributes?.['count']);
      } catch (err) {
        if (!isConditionFailure(err)) throw err;
      }
      try {
        // No window, or it has passed: this is the first of a new one.
        await this.table.client.send(
          new PutCommand({
            TableName: this.table.name,
            Item: { ...Key, count: 1, windowStart: now.toISOString(), expiresAt: Math.ceil(now.getTime() / 1000) + windowSeconds + 3600 },
            ConditionExpression: 'attribute_not_exists(pk) OR windowStart <= :cutoff',
            ExpressionAttributeValues: { ':cutoff': cutoff },
          }),
        );
        return 1;
      } catch (err) {
        if (!isConditionFailure(err)) throw err; // another request opened the window: count in it
      }
    }
    throw new Error(`could not count ${scope}/${key}`);
  }
}
