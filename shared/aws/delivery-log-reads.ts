import { encodeTime } from 'ulid';
import { percentile } from '../core/percentile.js';
import type { DeliveryFilter, NotifierStats, Page, PageRequest } from '../core/ports.js';
import { shownStatus, type Delivery } from '../core/types.js';
import { deliveryIdOf, eventIdOfDelivery, timeOfId } from '../ids.js';
import { invalidCursor } from './dynamo-table.js';
import { deliveriesOf } from './event-records.js';

/*
 * The delivery log's reads (DeliveryStore.list and .stats) over event records, from keys,
 * never a scan: an app's records newest first, a time range as a key range on their ids
 * (ULIDs: time first), the deliveries of each filtered here. A list of failed and dead
 * deliveries only reads their markers, not the whole log. The same code reads DynamoDB
 * and the embedded store (local mode): each gives its records through a RecordSource.
 */

type Item = Record<string, unknown>;

/** Ids of an app's records (or markers) to read: from `from` on (included), below `below`. */
export interface IdRange {
  from?: string;
  below?: string;
  /** The same range as times, for a store that spreads records over partitions by time. */
  since?: Date;
  until?: Date;
}

/** One page of a reading, newest first; `more` when others follow. */
export interface RecordPage<T> {
  items: T[];
  more: boolean;
}

/** Where the reads find an app's event records (their retention not ended). */
export interface RecordSource {
  /** The app's records newest first, a page of up to `pageSize` at a time. */
  recordPages(appId: string, range: IdRange, pageSize: number): AsyncIterable<RecordPage<Item>>;
  /** The app's failed and dead deliveries (their markers) newest first, a page at a time. */
  attentionPages(appId: string, range: IdRange, pageSize: number): AsyncIterable<RecordPage<{ deliveryId: string; eventId: string }>>;
  record(appId: string, eventId: string): Promise<Item | undefined>;
  /** Records by event id. */
  records(appId: string, eventIds: string[]): Promise<Map<string, Item>>;
}

/** At most this many pages of records are read to fill one page of a filtered list. */
const MAX_READS = 10;

const idAt = (prefix: 'evt' | 'dlv', d: Date) =>
  `${prefix}_${encodeTime(Math.max(0, Math.min(d.getTime(), 2 ** 48 - 1)), 10).toLowerCase()}`;

/** A list's cursor: the id of the last delivery it gave (ids sort by time, then within an event). */
const encodeDeliveryCursor = (deliveryId: string) => Buffer.from(deliveryId).toString('base64url');
function decodeDeliveryCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  // A delivery's id: its event's ULID and 10 hex of notifier and recipient (ids.ts), or a ULID alone (made before those).
  if (!/^dlv_[0-9a-z]{26}([0-9a-f]{10})?$/.test(id)) throw invalidCursor();
  return id;
}

function matches(d: Delivery, filter: DeliveryFilter): boolean {
  if (filter.statuses?.length && !filter.statuses.includes(shownStatus(d.status, d.attempts))) return false;
  if (filter.channel && d.channel !== filter.channel) return false;
  if (filter.notifierId && d.notifierId !== filter.notifierId) return false;
  if (filter.eventType && d.eventType !== filter.eventType) return false;
  return true;
}

export async function listDeliveries(
  source: RecordSource,
  appId: string,
  filter: DeliveryFilter,
  page: PageRequest,
): Promise<Page<Delivery>> {
  const below = page.cursor ? decodeDeliveryCursor(page.cursor) : undefined;
  if (filter.eventId) {
    const item = await source.record(appId, filter.eventId);
    const all = item ? deliveriesOf(item, appId).reverse() : [];
    const kept = all.filter((d) => matches(d, filter) && (!below || d.id < below));
    return {
      items: kept.slice(0, page.limit),
      nextCursor: kept.length > page.limit ? encodeDeliveryCursor(kept[page.limit - 1]!.id) : null,
    };
  }
  const attention = filter.statuses?.length && filter.statuses.every((s) => s === 'failed' || s === 'dead');
  return attention ? listAttention(source, appId, filter, page, below) : listFromRecords(source, appId, filter, page, below);
}

const rangeOf = (prefix: 'evt' | 'dlv', filter: DeliveryFilter, below: string | undefined): IdRange => ({
  ...(filter.since ? { from: idAt(prefix, filter.since), since: filter.since } : {}),
  ...(below ? { below } : filter.until ? { below: idAt(prefix, filter.until) } : {}),
  ...(filter.until ? { until: filter.until } : {}),
});

/** Records newest first, their deliveries filtered, until the page is full or MAX_READS pages were read. */
async function listFromRecords(
  source: RecordSource,
  appId: string,
  filter: DeliveryFilter,
  page: PageRequest,
  below: string | undefined,
): Promise<Page<Delivery>> {
  // The cursor's own event is read again, for its deliveries after the cursor.
  const range = rangeOf('evt', filter, below ? `${eventIdOfDelivery(below)}~` : undefined);
  const items: Delivery[] = [];
  let reads = 0;
  let last: Item | undefined;
  for await (const records of source.recordPages(appId, range, page.limit)) {
    for (const record of records.items) {
      const deliveries = deliveriesOf(record, appId).reverse();
      for (const d of deliveries) {
        if (below && d.id >= below) continue;
        if (!matches(d, filter)) continue;
        items.push(d);
        if (items.length === page.limit) {
          const more = records.more || record !== records.items.at(-1) || d !== deliveries.at(-1);
          return { items, nextCursor: more ? encodeDeliveryCursor(d.id) : null };
        }
      }
    }
    last = records.items.at(-1) ?? last;
    if (!records.more || ++reads === MAX_READS) break;
  }
  // Read enough for one page: the next one goes on below the last record read.
  return { items, nextCursor: reads === MAX_READS && last ? encodeDeliveryCursor(deliveryIdOf(String(last['sk']), '')) : null };
}

/** Failed and dead deliveries: their markers newest first, then their records. */
async function listAttention(
  source: RecordSource,
  appId: string,
  filter: DeliveryFilter,
  page: PageRequest,
  below: string | undefined,
): Promise<Page<Delivery>> {
  const items: Delivery[] = [];
  let reads = 0;
  let last: string | undefined;
  for await (const markers of source.attentionPages(appId, rangeOf('dlv', filter, below), page.limit)) {
    const records = await source.records(appId, [...new Set(markers.items.map((m) => m.eventId))]);
    for (const m of markers.items) {
      const record = records.get(m.eventId);
      const d = record ? deliveriesOf(record, appId).find((x) => x.id === m.deliveryId) : undefined;
      if (!d || !matches(d, filter)) continue;
      items.push(d);
      if (items.length === page.limit) return { items, nextCursor: encodeDeliveryCursor(d.id) };
    }
    last = markers.items.at(-1)?.deliveryId ?? last;
    if (!markers.more || ++reads === MAX_READS) break;
  }
  return { items, nextCursor: reads === MAX_READS && last ? encodeDeliveryCursor(last) : null };
}

/**
 * What bounds a notifier's figures: the app's records read (every notifier's deliveries)
 * to find its own within the window, newest first. Past the bound the figures are marked
 * incomplete and say from when they count.
 */
const STATS_MAX_READ = 5000;
const STATS_PAGE = 500;

export async function notifierStats(
  source: RecordSource,
  appId: string,
  notifierId: string,
  window: { since: Date; until: Date },
): Promise<NotifierStats> {
  const counts = { sent: 0, failed: 0, dead: 0, pending: 0, suppressed: 0, grouped: 0, coalesced: 0 };
  const latencies: number[] = [];
  let last: NotifierStats['last'];
  let read = 0;
  let complete = true;
  let lastRecord: Item | undefined;
  const range = { from: idAt('evt', window.since), below: idAt('evt', window.until), ...window };
  for await (const records of source.recordPages(appId, range, STATS_PAGE)) {
    for (const record of records.items) {
      for (const d of deliveriesOf(record, appId).reverse()) {
        if (d.notifierId !== notifierId) continue;
        const status = shownStatus(d.status, d.attempts);
        last ??= { deliveryId: d.id, status, at: d.attempts.at(-1)?.at ?? d.createdAt };
        counts[status === 'queued' || status === 'retrying' ? 'pending' : status]++;
        for (const a of d.attempts) latencies.push(a.latencyMs);
      }
    }
    read += records.items.length;
    lastRecord = records.items.at(-1) ?? lastRecord;
    if (records.more && read >= STATS_MAX_READ) {
      complete = false;
      break;
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    counts,
    latencyMs: latencies.length ? { p50: percentile(latencies, 50), p95: percentile(latencies, 95) } : null,
    ...(last ? { last } : {}),
    complete,
    // The reading went newest first: it covers from the last record it read on.
    coveredSince: (complete ? window.since : new Date(timeOfId(String(lastRecord?.['sk'])))).toISOString(),
  };
}
