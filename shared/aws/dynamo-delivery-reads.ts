import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { encodeTime } from 'ulid';
import { percentile } from '../core/percentile.js';
import type { DeliveryFilter, NotifierStats, Page, PageRequest } from '../core/ports.js';
import { shownStatus, type Delivery } from '../core/types.js';
import { eventIdOfDelivery, timeOfId } from '../ids.js';
import { newestRecords } from './dynamo-event-store.js';
import { batchGetItems, invalidCursor, type Table } from './dynamo-table.js';
import { deliveriesOf, expired, type RecordKeys } from './event-records.js';

/*
 * The delivery log's reads (DynamoDeliveryStore.list and .stats), from keys, never a scan:
 * an app's event records newest first (merged across its partitions), a time range as a
 * key range on their ids (ULIDs: time first), the deliveries of each filtered here. A list
 * of failed and dead deliveries only reads their markers (ATTN#), not the whole log.
 */

type Item = Record<string, unknown>;

/** At most this many pages of records are read to fill one page of a filtered list. */
const MAX_READS = 10;

const idAt = (prefix: 'evt' | 'dlv', d: Date) =>
  `${prefix}_${encodeTime(Math.max(0, Math.min(d.getTime(), 2 ** 48 - 1)), 10).toLowerCase()}`;

/** A list's cursor: the id of the last delivery it gave (ids sort by time, then within an event). */
const encodeDeliveryCursor = (deliveryId: string) => Buffer.from(deliveryId).toString('base64url');
function decodeDeliveryCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^dlv_[0-9a-z]{26,}$/.test(id)) throw invalidCursor();
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
  table: Table,
  keys: RecordKeys,
  appId: string,
  filter: DeliveryFilter,
  page: PageRequest,
  now: Date,
): Promise<Page<Delivery>> {
  const below = page.cursor ? decodeDeliveryCursor(page.cursor) : undefined;
  if (filter.eventId) {
    const item = (await recordOf(table, keys, appId, filter.eventId, now)) ?? {};
    const all = Object.keys(item).length ? deliveriesOf(item, appId).reverse() : [];
    const kept = all.filter((d) => matches(d, filter) && (!below || d.id < below));
    return {
      items: kept.slice(0, page.limit),
      nextCursor: kept.length > page.limit ? encodeDeliveryCursor(kept[page.limit - 1]!.id) : null,
    };
  }
  const attention = filter.statuses?.length && filter.statuses.every((s) => s === 'failed' || s === 'dead');
  return attention
    ? listAttention(table, keys, appId, filter, page, below, now)
    : listFromRecords(table, keys, appId, filter, page, below, now);
}

async function recordOf(table: Table, keys: RecordKeys, appId: string, eventId: string, now: Date): Promise<Item | undefined> {
  const out = await table.client.send(new GetCommand({ TableName: table.name, Key: await keys.of(appId, eventId) }));
  return out.Item && !expired(out.Item, now) ? out.Item : undefined;
}

/** Records newest first, their deliveries filtered, until the page is full or MAX_READS pages were read. */
async function listFromRecords(
  table: Table,
  keys: RecordKeys,
  appId: string,
  filter: DeliveryFilter,
  page: PageRequest,
  below: string | undefined,
  now: Date,
): Promise<Page<Delivery>> {
  const partitions = await keys.partitions(appId, filter.since, filter.until);
  const after = filter.since ? idAt('evt', filter.since) : undefined;
  // The cursor's own event is read again, for its deliveries after the cursor.
  let before = below ? `${eventIdOfDelivery(below)}~` : filter.until ? idAt('evt', filter.until) : undefined;
  const items: Delivery[] = [];
  for (let read = 0; read < MAX_READS; read++) {
    const records = await newestRecords(
      table,
      partitions,
      { limit: page.limit, ...(before ? { before } : {}), ...(after ? { after } : {}) },
      now,
    );
    for (const record of records.items) {
      for (const d of deliveriesOf(record, appId).reverse()) {
        if (below && d.id >= below) continue;
        if (!matches(d, filter)) continue;
        items.push(d);
        if (items.length === page.limit) {
          const more = records.nextCursor !== null || record !== records.items.at(-1) || d !== deliveriesOf(record, appId)[0];
          return { items, nextCursor: more ? encodeDeliveryCursor(d.id) : null };
        }
      }
    }
    const last = records.items.at(-1);
    if (!records.nextCursor || !last) return { items, nextCursor: null };
    before = String(last['sk']);
  }
  // Read enough for one page: the next one goes on below the last record read.
  return { items, nextCursor: encodeDeliveryCursor(`dlv_${before!.slice(4)}`) };
}

/** Failed and dead deliveries: their markers newest first, then their records. */
async function listAttention(
  table: Table,
  keys: RecordKeys,
  appId: string,
  filter: DeliveryFilter,
  page: PageRequest,
  below: string | undefined,
  now: Date,
): Promise<Page<Delivery>> {
  const partitions = (await keys.partitions(appId, filter.since, filter.until)).map((p) => p.replace(/^EVT#/, 'ATTN#'));
  const after = filter.since ? idAt('dlv', filter.since) : undefined;
  let before = below ?? (filter.until ? idAt('dlv', filter.until) : undefined);
  const items: Delivery[] = [];
  for (let read = 0; read < MAX_READS; read++) {
    const markers = await newestRecords(
      table,
      partitions,
      { limit: page.limit, ...(before ? { before } : {}), ...(after ? { after } : {}) },
      now,
    );
    const wanted = await Promise.all(
      markers.items.map(async (m) => ({
        id: String(m['sk']),
        key: await keys.of(appId, String(m['eventId'] ?? eventIdOfDelivery(String(m['sk'])))),
      })),
    );
    const records = await batchGetItems(
      table,
      wanted.map((w) => w.key),
    );
    for (const w of wanted) {
      const record = records.get(`${w.key.pk}|${w.key.sk}`);
      const d = record && !expired(record, now) ? deliveriesOf(record, appId).find((x) => x.id === w.id) : undefined;
      if (!d || !matches(d, filter)) continue;
      items.push(d);
      if (items.length === page.limit) return { items, nextCursor: encodeDeliveryCursor(d.id) };
    }
    const last = markers.items.at(-1);
    if (!markers.nextCursor || !last) return { items, nextCursor: null };
    before = String(last['sk']);
  }
  return { items, nextCursor: encodeDeliveryCursor(before!) };
}

/**
 * What bounds a notifier's figures: the app's records read (every notifier's deliveries)
 * to find its own within the window, newest first. Past the bound the figures are marked
 * incomplete and say from when they count.
 */
export const STATS_MAX_READ = 5000;
const STATS_PAGE = 500;

export async function notifierStats(
  table: Table,
  keys: RecordKeys,
  appId: string,
  notifierId: string,
  window: { since: Date; until: Date },
  now: Date,
): Promise<NotifierStats> {
  const counts = { sent: 0, failed: 0, dead: 0, pending: 0, suppressed: 0 };
  const latencies: number[] = [];
  let last: NotifierStats['last'];
  const partitions = await keys.partitions(appId, window.since, window.until);
  let before: string | undefined = idAt('evt', window.until);
  const after = idAt('evt', window.since);
  let read = 0;
  let complete = true;
  while (before) {
    const records = await newestRecords(table, partitions, { limit: STATS_PAGE, before, after }, now);
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
    const lastRecord = records.items.at(-1);
    before = records.nextCursor && lastRecord ? String(lastRecord['sk']) : undefined;
    if (before && read >= STATS_MAX_READ) {
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
    coveredSince: (complete ? window.since : new Date(timeOfId(before as string))).toISOString(),
  };
}
