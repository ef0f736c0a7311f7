import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DataMigrations } from '../core/ports.js';
import { familyOf, type ChannelName } from '../core/types.js';
import { logger } from '../telemetry.js';
import { unlessConditionFails, type Table } from './dynamo-table.js';

/*
 * Items:  MIGRATION#<name> / #MIGRATION   how far a migration has come: its scan cursor, or done
 */
type Item = Record<string, unknown>;

/** A change to stored items that a version needs: applied once to each item the filter finds, a scan page at a time. */
interface Migration {
  name: string;
  filter: { expression: string; names?: Record<string, string>; values: Record<string, unknown> };
  apply(table: Table, item: Item): Promise<void>;
}

/** Dead deliveries stored before the dead letters were indexed by family (gsi2 `DEAD#<family>`). */
const indexDeadLetters: Migration = {
  name: 'dead-letters-index',
  filter: {
    expression: 'begins_with(pk, :dlv) AND #status = :dead AND attribute_not_exists(gsi2pk)',
    names: { '#status': 'status' },
    values: { ':dlv': 'DLV#', ':dead': 'dead' },
  },
  async apply(table, item) {
    const attempts = (item['attempts'] as { at: string }[] | undefined) ?? [];
    const diedAt = attempts.at(-1)?.at ?? String(item['createdAt']);
    await unlessConditionFails(
      table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: { pk: item['pk'], sk: item['sk'] },
          UpdateExpression: 'SET gsi2pk = :index, gsi2sk = :at',
          ConditionExpression: '#status = :dead AND attribute_not_exists(gsi2pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':dead': 'dead',
            ':index': `DEAD#${familyOf(item['channel'] as ChannelName)}`,
            ':at': `${diedAt}#${String(item['sk'])}`,
          },
        }),
      ),
    );
  },
};

/** Deliveries stored before they kept their event's type (the delivery log filters on it). */
const deliveryEventType: Migration = {
  name: 'delivery-event-type',
  filter: {
    expression: 'begins_with(pk, :dlv) AND attribute_not_exists(eventType)',
    values: { ':dlv': 'DLV#' },
  },
  async apply(table, item) {
    const event = await table.client.send(
      new GetCommand({
        TableName: table.name,
        Key: { pk: `EVT#${String(item['appId'])}`, sk: item['eventId'] },
        ProjectionExpression: '#type',
        ExpressionAttributeNames: { '#type': 'type' },
      }),
    );
    const type = event.Item?.['type'];
    if (typeof type !== 'string') return; // its event is gone: the log shows it without a type
    await unlessConditionFails(
      table.client.send(
        new UpdateCommand({
          TableName: table.name,
          Key: { pk: item['pk'], sk: item['sk'] },
          UpdateExpression: 'SET eventType = :type',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':type': type },
        }),
      ),
    );
  },
};

const MIGRATIONS: Migration[] = [indexDeadLetters, deliveryEventType];

const markerKey = (name: string) => ({ pk: `MIGRATION#${name}`, sk: '#MIGRATION' });

/**
 * The data migrations on DynamoDB, run by the sweeper a little at a time (and by local mode
 * to the end at start). Each is a filtered scan that resumes from the cursor it saved, and
 * whose writes are conditional, so a page done twice (a run that died) changes nothing.
 */
export class DynamoDataMigrations implements DataMigrations {
  constructor(private readonly table: Table) {}

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
        await Promise.all((page.Items ?? []).map((item) => migration.apply(this.table, item)));
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
