import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { decodeTime, encodeTime } from 'ulid';
import type { DeliveryFilter, NotifierStats, Page, PageRequest } from '../core/ports.js';
import { percentile } from '../core/percentile.js';
import type { Attempt, Delivery, DeliveryStatus, ShownDeliveryStatus } from '../core/types.js';
import { shownStatus } from '../core/types.js';
import { queryFilteredPage, type Table } from './dynamo-table.js';

/*
 * The delivery log's reads, for the API (DynamoDeliveryStore.list and .stats). Served from
 * keys and indexes, never a scan: the app's partition `DLV#<appId>` (or, by event, gsi1
 * `DLVEVT#<eventId>`), and a time range as a key condition (delivery ids begin with the
 * event's ULID, so creation time sorts them). Status, channel, notifier and type are a
 * FilterExpression over that range, read a bounded number of pages at a time.
 *
 * Issue 14 (storage cost) should index what is filtered here: the notifier (stats and the
 * notifier list's last outcome read an app's whole window to find one notifier's
 * deliveries), and the status (a "failed, dead" list reads past every sent delivery).
 */

type Item = Record<string, unknown>;

/** The key range of deliveries created in [since, until): ids are `dlv_` and a ULID whose first 10 characters are its time. */
function idRange(since?: Date, until?: Date): { from: string; to: string } | undefined {
  if (!since && !until) return undefined;
  const time = (d: Date) => encodeTime(Math.max(0, Math.min(d.getTime(), 2 ** 48 - 1)), 10).toLowerCase();
  return { from: `dlv_${since ? time(since) : '0'}`, to: `dlv_${until ? time(until) : '~'}` };
}

/** When a delivery was created, read from its id (the ULID's time). */
export function createdAtOfId(id: string): Date {
  return new Date(decodeTime(id.slice(4, 30).toUpperCase()));
}

/** The stored statuses that show as each status (a claim mid-attempt shows what it was before). */
function statusCondition(statuses: readonly ShownDeliveryStatus[], values: Record<string, unknown>): string {
  // DynamoDB refuses values that the expression does not use.
  if (statuses.includes('queued') || statuses.includes('retrying')) Object.assign(values, { ':sending': 'sending', ':none': 0 });
  const noAttempts = '(attribute_not_exists(attempts) OR size(attempts) = :none)';
  const clause = statuses
    .map((status, i) => {
      values[`:st${i}`] = status;
      if (status === 'queued') return `#status = :st${i} OR (#status = :sending AND ${noAttempts})`;
      if (status === 'retrying') return `#status = :st${i} OR (#status = :sending AND size(attempts) > :none)`;
      return `#status = :st${i}`;
    })
    .join(' OR ');
  // DynamoDB refuses redundant parentheses.
  return clause.includes(' OR ') ? `(${clause})` : clause;
}

export function listDeliveries(table: Table, appId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions: string[] = [];
  if (filter.statuses?.length) {
    names['#status'] = 'status';
    conditions.push(statusCondition(filter.statuses, values));
  }
  for (const [field, value] of [
    ['notifierId', filter.notifierId],
    ['channel', filter.channel],
    ['eventType', filter.eventType],
  ] as const) {
    if (value === undefined) continue;
    values[`:${field}`] = value;
    conditions.push(`${field} = :${field}`);
  }
  const byEvent = filter.eventId !== undefined;
  if (byEvent) {
    values[':appId'] = appId;
    conditions.push('appId = :appId');
  }
  const range = idRange(filter.since, filter.until);
  if (range && range.from > range.to) return Promise.resolve({ items: [], nextCursor: null });
  const sortKey = byEvent ? 'gsi1sk' : 'sk';
  if (range) Object.assign(values, { ':from': range.from, ':to': range.to });
  const key = {
    ...(byEvent ? { IndexName: 'gsi1' } : {}),
    KeyConditionExpression: `${byEvent ? 'gsi1pk' : 'pk'} = :p${range ? ` AND ${sortKey} BETWEEN :from AND :to` : ''}`,
    ExpressionAttributeValues: { ...values, ':p': byEvent ? `DLVEVT#${filter.eventId}` : `DLV#${appId}` },
  };
  return queryFilteredPage<Delivery>(
    table,
    {
      ...key,
      ScanIndexForward: false,
      ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
      ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    },
    byEvent ? ['pk', 'sk', 'gsi1pk', 'gsi1sk'] : ['pk', 'sk'],
    page.limit,
    page.cursor,
  );
}

/**
 * What bounds a notifier's figures: the deliveries of its app read (all notifiers' ones, in
 * pages of STATS_PAGE) to find its own within the window, newest first. Past the bound the
 * figures are marked incomplete and say from when they count.
 */
export const STATS_MAX_READ = 5000;
const STATS_PAGE = 1000;

export async function notifierStats(
  table: Table,
  appId: string,
  notifierId: string,
  window: { since: Date; until: Date },
): Promise<NotifierStats> {
  const range = idRange(window.since, window.until) as { from: string; to: string };
  const counts = { sent: 0, failed: 0, dead: 0, pending: 0, suppressed: 0 };
  if (range.from > range.to) return { counts, latencyMs: null, complete: true, coveredSince: window.since.toISOString() };
  const input: Omit<QueryCommandInput, 'TableName'> = {
    KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
    FilterExpression: 'notifierId = :n',
    ProjectionExpression: 'sk, #status, attempts, createdAt',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':p': `DLV#${appId}`, ':from': range.from, ':to': range.to, ':n': notifierId },
    ScanIndexForward: false,
    Limit: STATS_PAGE,
  };
  const latencies: number[] = [];
  let last: NotifierStats['last'];
  let read = 0;
  let start: Item | undefined;
  do {
    const out = await table.client.send(
      new QueryCommand({ ...input, TableName: table.name, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    read += out.ScannedCount ?? 0;
    for (const item of out.Items ?? []) {
      const attempts = (item['attempts'] as Attempt[] | undefined) ?? [];
      const status = shownStatus(item['status'] as DeliveryStatus, attempts);
      last ??= { deliveryId: String(item['sk']), status, at: attempts.at(-1)?.at ?? String(item['createdAt']) };
      counts[status === 'queued' || status === 'retrying' ? 'pending' : status]++;
      for (const a of attempts) latencies.push(a.latencyMs);
    }
    start = out.LastEvaluatedKey;
  } while (start && read < STATS_MAX_READ);
  latencies.sort((a, b) => a - b);
  return {
    counts,
    latencyMs: latencies.length ? { p50: percentile(latencies, 50), p95: percentile(latencies, 95) } : null,
    ...(last ? { last } : {}),
    complete: !start,
    // The reading went newest first: it covers from the last delivery it read on.
    coveredSince: (start ? createdAtOfId(String(start['sk'])) : window.since).toISOString(),
  };
}
