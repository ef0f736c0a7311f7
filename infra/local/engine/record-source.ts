import type { IdRange, RecordPage, RecordSource } from '../../../shared/aws/delivery-log-reads.js';
import { expired, partKeysOf, withParts } from '../../../shared/aws/event-records.js';
import { eventIdOfDelivery } from '../../../shared/ids.js';
import type { Item, KeyRange, Table } from './table.js';

/*
 * An event's record (shared/aws/event-records.ts) in the embedded store:
 *   EVT#<appId> / <eventId>         (EVP#<appId> / <eventId>#<n> its parts, for an event with many deliveries)
 * one partition per app: memory has no hot partition, so records are not spread over shards.
 */
export const recordPk = (appId: string) => `EVT#${appId}`;

/** An app's record with its parts (if it has: event-records.ts), unless its retention has ended. */
export function recordOf(table: Table, appId: string, eventId: string, now: Date): Item | undefined {
  const item = table.get(recordPk(appId), eventId);
  return item && !expired(item, now) ? withItsParts(table, item) : undefined;
}

function withItsParts(table: Table, record: Item): Item {
  const parts = partKeysOf(record).flatMap(({ pk, sk }): Item[] => {
    const part = table.get(pk, sk);
    return part ? [part] : [];
  });
  return parts.length ? withParts(record, parts) : record;
}

const newestFirst = (range: IdRange): KeyRange => ({
  ...(range.from ? { from: range.from } : {}),
  ...(range.below ? { below: range.below } : {}),
  descending: true,
});

/** An app's records for the delivery log's reads (delivery-log-reads.ts): newest first, from memory. */
export class EmbeddedRecordSource implements RecordSource {
  constructor(
    private readonly table: Table,
    private readonly clock: () => Date,
  ) {}

  recordPages(appId: string, range: IdRange, pageSize: number): AsyncIterable<RecordPage<Item>> {
    const now = this.clock();
    return pages(this.table.query(recordPk(appId), newestFirst(range)), pageSize, ([, item]) =>
      expired(item, now) ? undefined : withItsParts(this.table, item),
    );
  }

  attentionPages(appId: string, range: IdRange, pageSize: number): AsyncIterable<RecordPage<{ deliveryId: string; eventId: string }>> {
    const now = this.clock();
    return pages(this.table.queryIndex('attention', `ATTN#${appId}`, newestFirst(range)), pageSize, ({ key, item }) =>
      expired(item, now) ? undefined : { deliveryId: key, eventId: eventIdOfDelivery(key) },
    );
  }

  async record(appId: string, eventId: string): Promise<Item | undefined> {
    return recordOf(this.table, appId, eventId, this.clock());
  }

  async records(appId: string, eventIds: string[]): Promise<Map<string, Item>> {
    const now = this.clock();
    return new Map(
      eventIds.flatMap((id) => (recordOf(this.table, appId, id, now) ? [[id, recordOf(this.table, appId, id, now) as Item]] : [])),
    );
  }
}

/** Pages of `pageSize` of what `keep` makes of the entries (undefined: left out). */
async function* pages<E, T>(entries: Iterable<E>, pageSize: number, keep: (entry: E) => T | undefined): AsyncGenerator<RecordPage<T>> {
  let items: T[] = [];
  for (const entry of entries) {
    const kept = keep(entry);
    if (kept === undefined) continue;
    if (items.length === pageSize) {
      yield { items, more: true };
      items = [];
    }
    items.push(kept);
  }
  yield { items, more: false };
}
