import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ERAS_CACHE_MS, shardCountAt, shardOf, type ShardEra } from '../core/event-shards.js';
import type { Claim, ClaimResult, StoredAnswer } from '../core/ports.js';
import type { EscalationMark, FailoverMark } from '../core/escalation.js';
import { familyOf, type ChannelName, type Delivery, type DeliveryStatus, type Family, type HeraldEvent } from '../core/types.js';
import { DEAD_SHARDS, PENDING_SHARDS } from '../resources.js';
import { attemptsOf, clippedText, type StoredAttempts } from './stored-attempts.js';
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
 *                b attempts made when last revived, a the first attempts [{n, at, o, sc, e, l}]
 *                (z<k> and t the latest ones and their count: stored-attempts.ts),
 *                w reason, x next attempt at, k claimed at
 *     p          (an event with more than RECORD_DELIVERIES) its number of parts, which hold
 *                its deliveries instead of the record: see "Parts" below
 *
 * Size. DynamoDB refuses an item over 400 KB. What a delivery holds is bounded: a
 * recipient of about 2 KB at most (a URL), a reason and each attempt's error 512 bytes of
 * UTF-8, 10 attempts: under 9.5 KB. So a record (the event, 64 KiB at most, and up to
 * RECORD_DELIVERIES = 30 deliveries) and a part (PART_DELIVERIES = 40) stay under 400 KB
 * whatever happens to them (test/unit/aws/record-size.test.ts computes it).
 *
 * Records written before this layout were an EVT#<appId> item and one DLV#<appId> item
 * per delivery: the data migration `event-records` moves them here.
 */

type Item = Record<string, unknown>;

/** A delivery as its record keeps it (its attempts: stored-attempts.ts). */
export type StoredDelivery = StoredAttempts & {
  n: string;
  c: ChannelName;
  r: string;
  s: DeliveryStatus;
  m: number;
  b?: number;
  w?: string;
  x?: string;
  k?: string;
  /** A step of an escalation policy (issue 18). */
  e?: EscalationMark;
  /** A failover: the delivery it stands in for, and whose list made it. */
  fo?: string;
  fb?: FailoverMark;
};

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
 *   each with `p`, the part of the record that holds the delivery, when one does
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
  delivery: Pick<Delivery, 'id' | 'appId' | 'eventId' | 'channel' | 'part'>,
  status: DeliveryStatus,
  expiresAt: number,
): Item[] {
  if (status !== 'failed' && status !== 'dead') return [];
  const attention = { ...attentionKey(recordPk, delivery.id), eventId: delivery.eventId, ...partOf(delivery), expiresAt };
  if (status === 'failed') return [attention];
  const dead = {
    ...deadKey(familyOf(delivery.channel), delivery.id),
    appId: delivery.appId,
    eventId: delivery.eventId,
    ...partOf(delivery),
  };
  return [attention, { ...dead, expiresAt }];
}
/** A marker names the part of its delivery's record that holds it, when one does (`p`). */
const partOf = (delivery: Pick<Delivery, 'part'>) => (delivery.part ? { p: delivery.part } : {});
export const pendingKey = (deliveryId: string) => ({ pk: `PEND#${shardOf(deliveryId, PENDING_SHARDS)}`, sk: deliveryId });
/** Where a marker of a delivery no queue holds is in gsi2: by when the sweeper should queue it. */
export const pendingIndexKey = (marker: { pk: unknown; sk: unknown; at: unknown }) => ({
  gsi2pk: String(marker.pk),
  gsi2sk: `${String(marker.at)}#${String(marker.sk)}`,
});
/** The marker of a delivery no queue holds, that the sweeper queues at `at`. */
export function pendingMarker(delivery: Pick<Delivery, 'id' | 'appId' | 'eventId' | 'part'>, at: string): Item {
  const marker = { ...pendingKey(delivery.id), appId: delivery.appId, eventId: delivery.eventId, ...partOf(delivery), at };
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
    ...(d.reason ? { w: clippedText(d.reason) } : {}),
    ...(d.nextAttemptAt ? { x: d.nextAttemptAt } : {}),
    ...(d.escalation ? { e: d.escalation } : {}),
    ...(d.failoverOf ? { fo: d.failoverOf } : {}),
    ...(d.failoverBy ? { fb: d.failoverBy } : {}),
  };
}

/**
 * The record's event attributes: `ty`, and the rest of the event as JSON in `ev`, without
 * what eventOf tells again (about a sixth of a record, stored for the retention): the
 * severity when it is `info`, the time received when it is the event id's (ids are ULIDs,
 * minted as the event is received), the time it occurred when it is the time received.
 * Each is left out only when it is exactly that; records written before carry all three.
 */
export function eventAttributes(event: HeraldEvent): { ev: string; ty: string } {
  const { id, appId: _appId, type, severity, occurredAt, receivedAt, ...rest } = event;
  const stored = {
    ...(severity === 'info' ? {} : { severity }),
    ...rest,
    ...(occurredAt === receivedAt ? {} : { occurredAt }),
    ...(receivedAt === timeOfIdIso(id) ? {} : { receivedAt }),
  };
  return { ev: JSON.stringify(stored), ty: type };
}

export function eventOf(item: Item, appId: string): HeraldEvent | undefined {
  if (typeof item['ev'] !== 'string') return undefined;
  const id = String(item['sk']);
  const stored = JSON.parse(item['ev']) as Partial<Omit<HeraldEvent, 'id' | 'appId' | 'type'>>;
  const { severity = 'info', title, message, data, occurredAt, receivedAt = timeOfIdIso(id), ...after } = stored;
  // In the order an event has its fields (core/event.ts), as the API has always answered them.
  return {
    id,
    appId,
    type: String(item['ty']),
    severity,
    ...(title !== undefined ? { title } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(data !== undefined ? { data } : {}),
    occurredAt: occurredAt ?? receivedAt,
    receivedAt,
    ...after,
  };
}

/** The time an id was minted, as an ISO string. */
const timeOfIdIso = (id: string): string => new Date(timeOfId(id)).toISOString();

/*
 * Parts (shared/core/record-parts.ts): an event with more deliveries than its record holds
 * keeps them in parts, beside the records but in partitions of their own, so that the
 * log's range queries over records never meet them:
 *   EVP#<appId>#<shard> / <eventId>#<part>   ty, expiresAt, and its deliveries as d_<key>
 * The record then holds the event and `p`, its number of parts, and no delivery. A
 * delivery's part travels in its queue message and its markers, so a claim or an outcome
 * is one write to the one item that holds it, as before.
 */
const PARTS = Symbol('parts');

/** The item that holds a delivery: its event's record, or one of the record's parts. */
export const itemKeyOf = (recordKey: { pk: string; sk: string }, part: number | undefined) =>
  part ? { pk: recordKey.pk.replace(/^EVT#/, 'EVP#'), sk: `${recordKey.sk}#${part}` } : recordKey;

/** The keys of a record's parts (none for a record that holds its deliveries itself). */
export const partKeysOf = (record: Item): { pk: string; sk: string }[] =>
  Array.from({ length: Number(record['p'] ?? 0) }, (_, i) => itemKeyOf({ pk: String(record['pk']), sk: String(record['sk']) }, i + 1));

/** Things by the part of their event's record that holds them (undefined: the record itself), in the order first met. */
export function byPart<T>(things: T[], partOf: (t: T) => number | undefined): [number | undefined, T[]][] {
  const groups = new Map<number | undefined, T[]>();
  for (const t of things) groups.set(partOf(t), [...(groups.get(partOf(t)) ?? []), t]);
  return [...groups];
}

/** A record as read with its parts: deliveriesOf gives theirs too (nothing of it is stored). */
export const withParts = (record: Item, parts: Item[]): Item => ({ ...record, [PARTS]: parts });

/** The event and the part (none: the record itself) an item holds deliveries of. */
function placeOf(item: Item): { eventId: string; part: number | undefined } {
  const [eventId = '', part] = String(item['sk']).split('#');
  return { eventId, part: part ? Number(part) : undefined };
}

/**
 * The deliveries a record holds, by id: its own, and those of its parts when it was read
 * with them (`withParts`); or those of a part read alone.
 */
export function deliveriesOf(item: Item, appId: string): Delivery[] {
  const { eventId, part } = placeOf(item);
  const event = eventOf(item, appId);
  const of = {
    eventId,
    appId,
    createdAt: event?.receivedAt ?? timeOfIdIso(eventId),
    eventType: event?.type ?? typeOf(item),
  };
  const parts = (item as { [PARTS]?: Item[] })[PARTS] ?? [];
  const all = [item, ...parts].flatMap((held) => {
    const where = held === item ? part : placeOf(held).part;
    return Object.keys(held)
      .filter(isDeliveryAttribute)
      .map((name) => deliveryOf(held[name] as StoredDelivery, deliveryIdOf(eventId, name.slice(2)), of, where));
  });
  return withFailoverLinks(all).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Each delivery that failed over names those that stood in for it (`failedOverTo`): read
 * from theirs (`failoverOf`), which are deliveries of the same event, so the link back costs
 * no write of its own.
 */
function withFailoverLinks(deliveries: Delivery[]): Delivery[] {
  const to = new Map<string, string[]>();
  for (const d of deliveries) if (d.failoverOf) to.set(d.failoverOf, [...(to.get(d.failoverOf) ?? []), d.id]);
  if (to.size === 0) return deliveries;
  return deliveries.map((d) => (to.has(d.id) ? { ...d, failedOverTo: to.get(d.id) as string[] } : d));
}

const typeOf = (item: Item) => (typeof item['ty'] === 'string' ? item['ty'] : undefined);

function deliveryOf(
  d: StoredDelivery,
  id: string,
  of: { eventId: string; appId: string; createdAt: string; eventType: string | undefined },
  part: number | undefined,
): Delivery {
  const { attempts, count } = attemptsOf(d);
  return {
    id,
    eventId: of.eventId,
    ...(of.eventType ? { eventType: of.eventType } : {}),
    appId: of.appId,
    notifierId: d.n,
    channel: d.c,
    recipient: d.r,
    status: d.s,
    ...(d.w ? { reason: d.w } : {}),
    createdAt: of.createdAt,
    attempts,
    ...(count !== undefined ? { attemptCount: count } : {}),
    ...(d.x ? { nextAttemptAt: d.x } : {}),
    ...(d.k ? { claimedAt: d.k } : {}),
    ...(part ? { part } : {}),
    ...(d.e ? { escalation: d.e } : {}),
    ...(d.fo ? { failoverOf: d.fo } : {}),
    ...(d.fb ? { failoverBy: d.fb } : {}),
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
  // Those made later for the event (a policy's later steps or rounds, failovers) were not in the first answer.
  const deliveries = deliveriesOf(item, appId).filter(
    (d) => !d.failoverOf && !(d.escalation && (d.escalation.step > 1 || d.escalation.round > 1)),
  );
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
