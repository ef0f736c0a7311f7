import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ERAS_CACHE_MS, shardCountAt, shardOf, type ShardEra } from '../core/event-shards.js';
import type { Claim, ClaimResult, StoredAnswer } from '../core/ports.js';
import {
  familyOf,
  type Attempt,
  type ChannelName,
  type Delivery,
  type DeliveryStatus,
  type Family,
  type HeraldEvent,
} from '../core/types.js';
import { DEAD_SHARDS, PENDING_SHARDS } from '../resources.js';
import { deliveryIdOf, timeOfId } from '../ids.js';
import type { Table } from './dynamo-table.js';

/*
 * An event's record: one item holding the event and every delivery of it, so that ingest,
 * a claim and an outcome are one write each for all the deliveries of a queue message.
 *
 *   EVT#<appId>#<shard> / <eventId>
 *     ev         the event as JSON text (any JSON number a double holds survives, which a
 *                DynamoDB number does not), without its id, app and type
 *     ty         its type (the delivery log filters on it)
 *     u          true when the status it reported did not change (the ingest answer)
 *     expiresAt  when the retention ends (DynamoDB TTL; reads check it too)
 *     d_<key>    one delivery (key: the last 10 characters of its id), with short names,
 *                because every byte is stored and written three times:
 *                n notifierId, c channel, r recipient, s status, m attempts made,
 *                b attempts made when last revived, a attempts [{n, at, o, sc, e, l}],
 *                w reason, x next attempt at, k claimed at
 *
 * Records written before this layout were an EVT#<appId> item and one DLV#<appId> item
 * per delivery: the data migration `event-records` moves them here.
 */

type Item = Record<string, unknown>;

/** A delivery as its record keeps it. */
export interface StoredDelivery {
  n: string;
  c: ChannelName;
  r: string;
  s: DeliveryStatus;
  m: number;
  b?: number;
  a: StoredAttempt[];
  w?: string;
  x?: string;
  k?: string;
}

interface StoredAttempt {
  n: number;
  at: string;
  o: Attempt['outcome'];
  sc?: number;
  e?: string;
  l: number;
}

export const deliveryAttribute = (deliveryId: string): string => `d_${deliveryId.slice(-10)}`;

/**
 * Deliveries one UpdateItem of a record writes at most: each adds its clauses (up to about
 * 150 bytes, a claim's condition) to the expressions, which DynamoDB refuses past 4 KB. An
 * event with more is written (claimed, its outcomes recorded) in several UpdateItems.
 */
export const DELIVERIES_PER_WRITE = 20;

/*
 * Markers beside the records, small items written only on the rare paths:
 *   ATTN#<appId>#<shard> / <deliveryId>  {eventId}            ended failed or dead (the log's failed/dead view)
 *   DEAD#<family>#<n> / <deliveryId>      {appId, eventId}     a dead letter of the family
 *   PEND#<n> / <deliveryId>               {appId, eventId, at} no queue holds it: the sweeper queues it at `at`
 *     gsi2: PEND#<n> / <at>#<deliveryId>  so that a sweep reads those due only (quiet hours hold many)
 */
export const attentionKey = (recordPk: string, deliveryId: string) => ({ pk: recordPk.replace(/^EVT#/, 'ATTN#'), sk: deliveryId });
export const deadKey = (family: Family, deliveryId: string) => ({
  pk: `DEAD#${family}#${shardOf(deliveryId, DEAD_SHARDS)}`,
  sk: deliveryId,
});
/** The markers of a delivery that ended failed or dead, kept until `expiresAt`: none for any other status. */
export function endedMarkers(
  recordPk: string,
  delivery: Pick<Delivery, 'id' | 'appId' | 'eventId' | 'channel'>,
  status: DeliveryStatus,
  expiresAt: number,
): Item[] {
  if (status !== 'failed' && status !== 'dead') return [];
  const attention = { ...attentionKey(recordPk, delivery.id), eventId: delivery.eventId, expiresAt };
  if (status === 'failed') return [attention];
  return [attention, { ...deadKey(familyOf(delivery.channel), delivery.id), appId: delivery.appId, eventId: delivery.eventId, expiresAt }];
}
export const pendingKey = (deliveryId: string) => ({ pk: `PEND#${shardOf(deliveryId, PENDING_SHARDS)}`, sk: deliveryId });
/** Where a marker of a delivery no queue holds is in gsi2: by when the sweeper should queue it. */
export const pendingIndexKey = (marker: { pk: unknown; sk: unknown; at: unknown }) => ({
  gsi2pk: String(marker.pk),
  gsi2sk: `${String(marker.at)}#${String(marker.sk)}`,
});
/** The marker of a delivery no queue holds, that the sweeper queues at `at`. */
export function pendingMarker(delivery: Pick<Delivery, 'id' | 'appId' | 'eventId'>, at: string): Item {
  const marker = { ...pendingKey(delivery.id), appId: delivery.appId, eventId: delivery.eventId, at };
  return { ...marker, ...pendingIndexKey(marker) };
}
const isDeliveryAttribute = (name: string): boolean => name.startsWith('d_');

/** A new delivery as its record first holds it. */
export function storedDelivery(d: Pick<Delivery, 'notifierId' | 'channel' | 'recipient' | 'status'> & Partial<Delivery>): StoredDelivery {
  return {
    n: d.notifierId,
    c: d.channel,
    r: d.recipient,
    s: d.status,
    m: 0,
    a: [],
    ...(d.reason ? { w: d.reason } : {}),
    ...(d.nextAttemptAt ? { x: d.nextAttemptAt } : {}),
  };
}

export const storedAttempt = (a: Attempt): StoredAttempt => ({
  n: a.n,
  at: a.at,
  o: a.outcome,
  ...(a.statusCode ? { sc: a.statusCode } : {}),
  ...(a.error ? { e: a.error } : {}),
  l: a.latencyMs,
});

const attemptOf = (a: StoredAttempt): Attempt => ({
  n: a.n,
  at: a.at,
  outcome: a.o,
  ...(a.sc ? { statusCode: a.sc } : {}),
  ...(a.e ? { error: a.e } : {}),
  latencyMs: a.l,
});

/** The record's event attributes. */
export function eventAttributes(event: HeraldEvent): { ev: string; ty: string } {
  const { id: _id, appId: _appId, type, ...rest } = event;
  return { ev: JSON.stringify(rest), ty: type };
}

export function eventOf(item: Item, appId: string): HeraldEvent | undefined {
  if (typeof item['ev'] !== 'string') return undefined;
  return {
    id: String(item['sk']),
    appId,
    type: String(item['ty']),
    ...(JSON.parse(item['ev']) as Omit<HeraldEvent, 'id' | 'appId' | 'type'>),
  };
}

/** The deliveries a record holds, by id (the order of their keys). */
export function deliveriesOf(item: Item, appId: string): Delivery[] {
  const eventId = String(item['sk']);
  const event = eventOf(item, appId);
  const createdAt = event?.receivedAt ?? new Date(timeOfId(eventId)).toISOString();
  return Object.keys(item)
    .filter(isDeliveryAttribute)
    .sort()
    .map((name) => deliveryOf(item[name] as StoredDelivery, deliveryIdOf(eventId, name.slice(2)), eventId, appId, createdAt, event?.type));
}

function deliveryOf(d: StoredDelivery, id: string, eventId: string, appId: string, createdAt: string, eventType?: string): Delivery {
  return {
    id,
    eventId,
    ...(eventType ? { eventType } : {}),
    appId,
    notifierId: d.n,
    channel: d.c,
    recipient: d.r,
    status: d.s,
    ...(d.w ? { reason: d.w } : {}),
    createdAt,
    attempts: (d.a ?? []).map(attemptOf),
    ...(d.x ? { nextAttemptAt: d.x } : {}),
    ...(d.k ? { claimedAt: d.k } : {}),
  };
}

/** A message may come back a little before the time its visibility was set for. */
export const DUE_TOLERANCE_MS = 2000;

/**
 * What a claim at `now` makes of a delivery as its record holds it: claim it (a queued
 * one; a retry once due; one whose claim went stale because its attempt died; one the
 * record does not hold yet), or not: `done` when there is nothing to send now (sent,
 * failed, dead, suppressed, or held by a fresh claim, whose own message comes back if its
 * attempt dies), `later` when it is not due yet.
 */
export function claimDecision(stored: StoredDelivery | undefined, now: Date, staleClaimSeconds: number): 'claim' | ClaimResult {
  if (!stored) return 'claim';
  const due = stored.x ? Date.parse(stored.x) : 0;
  if (stored.s === 'sending' && stored.k && Date.parse(stored.k) >= now.getTime() - staleClaimSeconds * 1000) return { done: true };
  if (stored.s === 'retrying' && due > now.getTime() + DUE_TOLERANCE_MS) return { later: new Date(due) };
  if (stored.s !== 'queued' && stored.s !== 'retrying' && stored.s !== 'sending') return { done: true };
  return 'claim';
}

/** The claim of a delivery its record now holds claimed: the attempt's number, overall and since the last revive. */
export const claimOf = (stored: StoredDelivery): Claim => {
  const { made, base } = attemptCounts(stored);
  return { n: made, attemptInRound: made - base };
};

/** What POST /v1/events answered for an event, as its record says (a repeat of its idempotency key gets it again). */
export function answerOfRecord(item: Item, appId: string): StoredAnswer | undefined {
  if (typeof item['ev'] !== 'string') return undefined;
  const deliveries = deliveriesOf(item, appId);
  const declined = new Map<string, string>();
  for (const d of deliveries) if (d.status === 'suppressed' && !declined.has(d.notifierId)) declined.set(d.notifierId, d.reason ?? '');
  return {
    deliveries: deliveries.length,
    unchanged: item['u'] === true,
    declined: [...declined].map(([notifierId, reason]) => ({ notifierId, reason })),
  };
}

/** Attempts made, and made since the last revive, of a stored delivery. */
export const attemptCounts = (d: Pick<StoredDelivery, 'm' | 'b'>) => ({ made: Number(d.m ?? 0), base: Number(d.b ?? 0) });

/** When the retention of what is written at `now` ends: epoch seconds, as DynamoDB's TTL reads `expiresAt`. */
export const expiresAtOf = (now: Date, retentionDays: number): number => Math.floor(now.getTime() / 1000) + retentionDays * 86_400;

/** Has the retention of this item ended (TTL deletes late)? */
export const expired = (item: Item, now: Date): boolean =>
  typeof item['expiresAt'] === 'number' && item['expiresAt'] * 1000 <= now.getTime();

/**
 * Where records are: the partition of an event, from its app's shard eras (read from the
 * app's item, strongly consistent, cached ERAS_CACHE_MS: an era starts two of those after
 * it is set) and its id's time.
 */
export class RecordKeys {
  private readonly eras = new Map<string, { eras: Promise<ShardEra[] | undefined>; until: number }>();

  constructor(
    private readonly table: Table,
    private readonly now: () => number = Date.now,
  ) {}

  async of(appId: string, eventId: string): Promise<{ pk: string; sk: string }> {
    const count = shardCountAt(await this.erasOf(appId), timeOfId(eventId));
    return { pk: `EVT#${appId}#${shardOf(eventId, count)}`, sk: eventId };
  }

  /** Every partition that holds the app's records made in [since, until): each era's count of them. */
  async partitions(appId: string, since?: Date, until?: Date): Promise<string[]> {
    const eras = (await this.erasOf(appId)) ?? [];
    const from = since?.getTime() ?? 0;
    const to = until?.getTime() ?? Number.MAX_SAFE_INTEGER;
    // Shards 0..n-1 of every era in the range: those of the one with the most.
    let most = 0;
    const bounds = [{ since: 0, count: 1 }, ...eras.map((e) => ({ since: Date.parse(e.since), count: e.count }))];
    bounds.forEach((era, i) => {
      const end = bounds[i + 1]?.since ?? Number.MAX_SAFE_INTEGER;
      if (era.since < to && end > from) most = Math.max(most, era.count);
    });
    return Array.from({ length: most }, (_, s) => `EVT#${appId}#${s}`);
  }

  private erasOf(appId: string): Promise<ShardEra[] | undefined> {
    const hit = this.eras.get(appId);
    if (hit && hit.until > this.now()) return hit.eras;
    const eras = this.table.client
      .send(
        new GetCommand({
          TableName: this.table.name,
          Key: { pk: `APP#${appId}`, sk: '#APP' },
          ProjectionExpression: 'eventShards',
          ConsistentRead: true,
        }),
      )
      .then((out) => out.Item?.['eventShards'] as ShardEra[] | undefined);
    this.eras.set(appId, { eras, until: this.now() + ERAS_CACHE_MS });
    eras.catch(() => this.eras.delete(appId));
    return eras;
  }
}
