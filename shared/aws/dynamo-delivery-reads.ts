import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PageRequest } from '../core/ports.js';
import type { IdRange, RecordPage, RecordSource } from './delivery-log-reads.js';
import { batchGetItems, cursorId, encodeCursor, type Table } from './dynamo-table.js';
import { expired, partKeysOf, withParts, type RecordKeys } from './event-records.js';

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

  async *recordPages(appId: string, range: IdRange, pageSize: number): AsyncIterable<RecordPage<Item>> {
    for await (const page of this.pages(appId, range, pageSize, (p) => p)) yield { ...page, items: await this.withTheirParts(page.items) };
  }

  async *attentionPages(
    appId: string,
    range: IdRange,
    pageSize: number,
  ): AsyncIterable<RecordPage<{ deliveryId: string; eventId: string }>> {
    for await (const page of this.pages(appId, range, pageSize, (p) => p.replace(/^EVT#/, 'ATTN#'))) {
      const items = page.items.map((m) => ({
        deliveryId: String(m['sk']),
        eventId: String(m['eventId']),
      }));
      yield { items, more: page.more };
    }
  }

  /** An event's record; `consistent` for a read that must see the latest write. */
  async record(appId: string, eventId: string, consistent = false): Promise<Item | undefined> {
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: await this.keys.of(appId, eventId), ConsistentRead: consistent }),
    );
    if (!out.Item || expired(out.Item, this.clock())) return undefined;
    return (await this.withTheirParts([out.Item], consistent))[0];
  }

  async records(appId: string, eventIds: string[]): Promise<Map<string, Item>> {
    const keys = await Promise.all(eventIds.map((id) => this.keys.of(appId, id)));
    const found = await batchGetItems(this.table, keys);
    const now = this.clock();
    const live = await this.withTheirParts([...found.values()].filter((i) => !expired(i, now)));
    return new Map(live.map((i) => [String(i['sk']), i]));
  }

  /**
   * Records with the parts that hold their deliveries (an event with many: event-records.ts),
   * read together. A record's retention is its parts': an outcome keeps a part longer.
   */
  private async withTheirParts(records: Item[], consistent = false): Promise<Item[]> {
    const keys = records.flatMap(partKeysOf);
    if (keys.length === 0) return records;
    const parts = await batchGetItems(this.table, keys, consistent);
    return records.map((r) => {
      const own = partKeysOf(r).flatMap((k): Item[] => {
        const part = parts.get(`${k.pk}|${k.sk}`);
        return part ? [part] : [];
      });
      return own.length ? withParts(r, own) : r;
    });
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

/**
 * One page of an app's records, newest first, merged across its partitions: each is read
 * from below the cursor (the last record's id on the previous page), the newest `limit` of
 * all kept. The cursor is that id, so it stays small however many partitions there are.
 */
export async function newestRecords(
  table: Table,
  partitions: string[],
  page: PageRequest & { before?: string; after?: string },
  now: Date,
): Promise<{ items: Item[]; nextCursor: string | null }> {
  const below = page.cursor ? cursorId(page.cursor) : page.before;
  // An empty range (since after until): DynamoDB refuses BETWEEN with its bounds crossed.
  if (below !== undefined && page.after !== undefined && page.after >= below) return { items: [], nextCursor: null };
  const range = below && page.after ? 'sk BETWEEN :after AND :below' : below ? 'sk < :below' : page.after ? 'sk >= :after' : '';
  const pages = await Promise.all(
    partitions.map((pk) =>
      table.client.send(
        new QueryCommand({
          TableName: table.name,
          KeyConditionExpression: `pk = :pk${range ? ` AND ${range}` : ''}`,
          ExpressionAttributeValues: { ':pk': pk, ...(below ? { ':below': below } : {}), ...(page.after ? { ':after': page.after } : {}) },
          ScanIndexForward: false,
          // BETWEEN includes its upper bound: one more, dropped below.
          Limit: page.limit + (below && page.after ? 1 : 0),
        }),
      ),
    ),
  );
  const all = pages
    .flatMap((p) => p.Items ?? [])
    .filter((i) => !expired(i, now) && i['sk'] !== below)
    .sort((a, b) => String(b['sk']).localeCompare(String(a['sk'])));
  const items = all.slice(0, page.limit);
  const more = all.length > page.limit || pages.some((p) => p.LastEvaluatedKey);
  const last = items.at(-1);
  return { items, nextCursor: more && last ? encodeCursor({ sk: last['sk'] }) : null };
}
