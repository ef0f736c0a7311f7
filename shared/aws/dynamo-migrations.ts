import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DataMigrations } from '../core/ports.js';
import { logger } from '../telemetry.js';
import { unlessConditionFails, type Table } from './dynamo-table.js';
import { pendingIndexKey, type RecordKeys } from './event-records.js';
import { EVENT_RECORDS_FILTER, moveToEventRecord, type MigrationContext } from './migrate-event-records.js';

/*
 * Items:  MIGRATION#<name> / #MIGRATION   how far a migration has come: its scan cursor, or done
 */
type Item = Record<string, unknown>;

/** A change to stored items that a version needs: applied once to each item the filter finds, a scan page at a time. */
interface Migration {
  name: string;
  filter: { expression: string; names?: Record<string, string>; values: Record<string, unknown> };
  apply(ctx: MigrationContext, item: Item): Promise<void>;
}

/**
 * Versions before stored an event and each of its deliveries as items of their own: they
 * move into the event's record (which also covers what two earlier migrations did to those
 * items: `dead-letters-index` and `delivery-event-type`).
 */
const eventRecords: Migration = { name: 'event-records', filter: EVENT_RECORDS_FILTER, apply: moveToEventRecord };

/**
 * Markers of deliveries no queue holds written before they were in gsi2 by time: indexed, so
 * the sweeper finds them. Unless the marker was deleted or moved to another time meanwhile.
 */
export async function indexPendingMarker(ctx: MigrationContext, item: Item): Promise<void> {
  const { gsi2pk, gsi2sk } = pendingIndexKey({ pk: item['pk'], sk: item['sk'], at: item['at'] });
  await unlessConditionFails(
    ctx.table.client.send(
      new UpdateCommand({
        TableName: ctx.table.name,
        Key: { pk: item['pk'], sk: item['sk'] },
        UpdateExpression: 'SET gsi2pk = :pk, gsi2sk = :sk',
        ConditionExpression: 'attribute_not_exists(gsi2pk) AND #at = :at',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':pk': gsi2pk, ':sk': gsi2sk, ':at': item['at'] },
      }),
    ),
  );
}

const pendingByTime: Migration = {
  name: 'pending-markers-by-time',
  filter: { expression: 'begins_with(pk, :pend) AND attribute_not_exists(gsi2pk)', values: { ':pend': 'PEND#' } },
  apply: indexPendingMarker,
};

const MIGRATIONS: Migration[] = [eventRecords, pendingByTime];

const markerKey = (name: string) => ({ pk: `MIGRATION#${name}`, sk: '#MIGRATION' });

/**
 * The data migrations on DynamoDB, run by the sweeper a little at a time (and by local mode
 * to the end at start). Each is a filtered scan that resumes from the cursor it saved, and
 * whose writes are conditional, so a page done twice (a run that died) changes nothing.
 */
export class DynamoDataMigrations implements DataMigrations {
  constructor(
    private readonly table: Table,
    private readonly keys: RecordKeys,
    private readonly retentionDays: number,
  ) {}

  async run(deadline: number): Promise<boolean> {
    for (const migration of MIGRATIONS) {
      const marker = (await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: markerKey(migration.name) }))).Item;
      if (marker?.['done']) continue;
      let cursor = marker?.['cursor'] as Item | undefined;
      let changed = 0;
      do {
        if (Date.now() >= deadline) return false;
        const page = await this.table.client.send(
          new ScanCommand({
            TableName: this.table.name,
            FilterExpression: migration.filter.expression,
            ...(migration.filter.names ? { ExpressionAttributeNames: migration.filter.names } : {}),
            ExpressionAttributeValues: migration.filter.values,
            Limit: 500,
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        );
        const ctx = { table: this.table, keys: this.keys, retentionDays: this.retentionDays, now: new Date() };
        await Promise.all((page.Items ?? []).map((item) => migration.apply(ctx, item)));
        changed += page.Items?.length ?? 0;
        cursor = page.LastEvaluatedKey;
        await this.table.client.send(
          new PutCommand({ TableName: this.table.name, Item: { ...markerKey(migration.name), ...(cursor ? { cursor } : { done: true }) } }),
        );
      } while (cursor);
      logger.info('data migration done', { migration: migration.name, changed });
    }
    return true;
  }
}
