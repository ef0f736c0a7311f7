import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { KnownState, StateStore } from '../core/ports.js';
import { isConditionFailure, type Table } from './dynamo-table.js';

/*
 * Items:  STATE#<appId> / <key>   { status, since, notified, incident, groups }
 */

/**
 * The sort key of a state: its key (`check:<name>`...), which the event's data names, so it
 * may be long; DynamoDB takes at most 1024 bytes. A longer one is kept as its start and a
 * hash of the whole; shorter ones, all that earlier versions could store, are unchanged.
 */
export function stateSortKey(key: string): string {
  if (Buffer.byteLength(key) <= 512) return key;
  return `${Array.from(key).slice(0, 100).join('')}#sha256:${createHash('sha256').update(key).digest('hex')}`;
}
/** A state as stored. */
export const knownStateOf = (item: Record<string, unknown>): KnownState => ({
  status: String(item['status']),
  since: String(item['since']),
  ...(Array.isArray(item['notified']) ? { notified: item['notified'] as string[] } : {}),
  ...(typeof item['incident'] === 'string' ? { incident: item['incident'] } : {}),
  ...(item['groups'] && typeof item['groups'] === 'object' ? { groups: item['groups'] as Record<string, string> } : {}),
});

export class DynamoStateStore implements StateStore {
  constructor(private readonly table: Table) {}

  async change(
    appId: string,
    key: string,
    status: string,
    now: Date,
    incident?: string | null,
  ): Promise<{ changed: boolean; previous?: KnownState }> {
    const set = incident ? ', incident = if_not_exists(incident, :incident)' : '';
    // Who was told, and the groups joined, last the whole failure (from one failing status to the next): a recovery ends them.
    const remove = incident ? '' : ` REMOVE notified, #groups${incident === null ? ', incident' : ''}`;
    try {
      const out = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: `STATE#${appId}`, sk: stateSortKey(key) },
          UpdateExpression: `SET #status = :status, since = :now${set}${remove}`,
          ConditionExpression: 'attribute_not_exists(pk) OR #status <> :status',
          ExpressionAttributeNames: { '#status': 'status', ...(incident ? {} : { '#groups': 'groups' }) },
          ExpressionAttributeValues: { ':status': status, ':now': now.toISOString(), ...(incident ? { ':incident': incident } : {}) },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return out.Attributes ? { changed: true, previous: knownStateOf(out.Attributes) } : { changed: true };
    } catch (err) {
      if (isConditionFailure(err)) return { changed: false };
      throw err;
    }
  }

  async noteNotified(appId: string, key: string, notifierIds: string[], groups?: Record<string, string>): Promise<void> {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: { pk: `STATE#${appId}`, sk: stateSortKey(key) },
        UpdateExpression: groups ? 'SET notified = :ids, #groups = :groups' : 'SET notified = :ids',
        ...(groups ? { ExpressionAttributeNames: { '#groups': 'groups' } } : {}),
        ExpressionAttributeValues: { ':ids': notifierIds, ...(groups ? { ':groups': groups } : {}) },
      }),
    );
  }
}
