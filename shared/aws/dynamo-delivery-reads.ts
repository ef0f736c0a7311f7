import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventIdOfDelivery } from '../ids.js';
import type { IdRange, RecordPage, RecordSource } from './delivery-log-reads.js';
import { newestRecords } from './dynamo-event-store.js';
import { batchGetItems, type Table } from './dynamo-table.js';
import { expired, type RecordKeys } from './event-records.js';

type Item = Record<string, unknown>;

/**
 * An app's event records on DynamoDB, for the delivery log's reads: each page merged
 * across the partitions that hold the range (newest first), markers of failed and dead
 * deliveries from the ATTN# partitions, records by key in BatchGetItem calls.
 */
export class DynamoRecordSource implements RecordSource {
  constructor(
    private readonly table: Table,
    private readonly keys: RecordKeys,
    private readonly clock: () => Date,
  ) {}

  recordPages(appId: string, range: IdRange, pageSize: number): AsyncIterable<RecordPage<Item>> {
    return this.pages(appId, range, pageSize, (p) => p);
  }

  async *attentionPages(
    appId: string,
    range: IdRange,
    pageSize: number,
  ): AsyncIterable<RecordPage<{ deliveryId: string; eventId: string }>> {
    for await (const page of this.pages(appId, range, pageSize, (p) => p.replace(/^EVT#/, 'ATTN#'))) {
      const items = page.items.map((m) => ({
        deliveryId: String(m['sk']),
        eventId: String(m['eventId'] ?? eventIdOfDelivery(String(m['sk']))),
      }));
      yield { items, more: page.more };
    }
  }

  async record(appId: string, eventId: string): Promise<Item | undefined> {
    const out = await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: await this.keys.of(appId, eventId) }));
    return out.Item && !expired(out.Item, this.clock()) ? out.Item : undefined;
  }

  async records(appId: string, eventIds: string[]): Promise<Map<string, Item>> {
    const keys = await Promise.all(eventIds.map((id) => this.keys.of(appId, id)));
    const found = await batchGetItems(this.table, keys);
    const now = this.clock();
    return new Map([...found.values()].filter((i) => !expired(i, now)).map((i) => [String(i['sk']), i]));
  }

  /** Pages of the partitions `partitionOf` names for the app's record partitions in the range, newest first. */
  private async *pages(
    appId: string,
    range: IdRange,
    pageSize: number,
    partitionOf: (pk: string) => string,
  ): AsyncIterable<RecordPage<Item>> {
    const partitions = (await this.keys.partitions(appId, range.since, range.until)).map(partitionOf);
    let before = range.below;
    for (;;) {
      const page = await newestRecords(
        this.table,
        partitions,
        { limit: pageSize, ...(before ? { before } : {}), ...(range.from ? { after: range.from } : {}) },
        this.clock(),
      );
      const last = page.items.at(-1);
      const more = page.nextCursor !== null && last !== undefined;
      yield { items: page.items, more };
      if (!more) return;
      before = String(last['sk']);
    }
  }
}
