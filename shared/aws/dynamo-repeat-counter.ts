import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RepeatCounter } from '../core/ports.js';
import { isConditionFailure, type Table } from './dynamo-table.js';

/*
 * Items:  CNT#<scope> / <key>   { count, windowStart, expiresAt }
 * Correct without TTL or transactions: an expired window is overwritten, conditionally.
 */
export class DynamoRepeatCounter implements RepeatCounter {
  /** Counts known to be past `enough` in this process, until their window ends. */
  private readonly settled = new Map<string, { until: number; count: number }>();

  constructor(private readonly table: Table) {}

  async count(scope: string, key: string, windowSeconds: number, now: Date, enough?: number): Promise<number> {
    const id = `${scope}\n${key}`;
    const known = this.settled.get(id);
    if (known && now.getTime() < known.until) return ++known.count;
    const counted = await this.countInTable(scope, key, windowSeconds, now);
    if (enough !== undefined && counted.count > enough) this.settle(id, counted.count, counted.windowStart + windowSeconds * 1000, now);
    return counted.count;
  }

  private settle(id: string, count: number, until: number, now: Date): void {
    if (this.settled.size >= 10_000) for (const [k, v] of this.settled) if (v.until <= now.getTime()) this.settled.delete(k);
    if (this.settled.size < 10_000) this.settled.set(id, { until, count });
  }

  private async countInTable(
    scope: string,
    key: string,
    windowSeconds: number,
    now: Date,
  ): Promise<{ count: number; windowStart: number }> {
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
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { count: Number(out.Attributes?.['count']), windowStart: Date.parse(String(out.Attributes?.['windowStart'])) };
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
        return { count: 1, windowStart: now.getTime() };
      } catch (err) {
        if (!isConditionFailure(err)) throw err; // another request opened the window: count in it
      }
    }
    throw new Error(`could not count ${scope}/${key}`);
  }
}
