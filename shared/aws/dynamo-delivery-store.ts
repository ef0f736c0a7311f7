import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ClaimResult,
  DeliveryFilter,
  DeliveryRef,
  DeliveryStore,
  NotifierStats,
  Outcome,
  Page,
  PageRequest,
  RecordedOutcome,
} from '../core/ports.js';
import { familyOf, type Delivery, type Family, type HeraldEvent } from '../core/types.js';
import { eventIdOfDelivery } from '../ids.js';
import { DEAD_SHARDS, DELIVERY, PENDING_SHARDS } from '../resources.js';
import { listDeliveries, notifierStats } from './delivery-log-reads.js';
import { DynamoRecordSource } from './dynamo-delivery-reads.js';
import {
  batchGetItems,
  chunksOf,
  cursorId,
  encodeCursor,
  isConditionFailure,
  writtenUnlessConditionFails,
  type Table,
} from './dynamo-table.js';
import {
  attemptCounts,
  attentionKey,
  claimDecision,
  claimOf,
  DELIVERIES_PER_WRITE,
  DUE_TOLERANCE_MS,
  deadKey,
  deliveriesOf,
  deliveryAttribute,
  endedMarkers,
  eventAttributes,
  expired,
  expiresAtOf,
  byPart,
  itemKeyOf,
  pendingKey,
  pendingMarker,
  storedDelivery,
  type RecordKeys,
  type StoredDelivery,
} from './event-records.js';
import { clippedText, slotOf, storedAttempt, withAttempt } from './stored-attempts.js';

/*
 * Deliveries live in their event's record (event-records.ts); beside the records, markers
 * on the rare paths: failed and dead ones (ATTN#), dead letters (DEAD#), deliveries no
 * queue holds (PEND#).
 */

const CLAIM_TRIES = 3;

type Item = Record<string, unknown>;

/**
 * Deliveries on DynamoDB. A claim is one conditional UpdateItem of the event's record for
 * every delivery of the message (it reads the record first only when that fails: a
 * delivery already done, held, or not yet in the record); an outcome is one more. Nothing
 * on that path writes an index.
 */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly table: Table,
    private readonly keys: RecordKeys,
    private readonly retentionDays: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.records = new DynamoRecordSource(table, keys, clock);
  }

  private readonly records: DynamoRecordSource;

  list(appId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>> {
    return listDeliveries(this.records, appId, filter, page);
  }

  stats(appId: string, notifierId: string, window: { since: Date; until: Date }): Promise<NotifierStats> {
    return notifierStats(this.records, appId, notifierId, window);
  }

  async get(appId: string, deliveryId: string): Promise<Delivery | undefined> {
    const item = await this.records.record(appId, eventIdOfDelivery(deliveryId));
    return item ? deliveriesOf(item, appId).find((d) => d.id === deliveryId) : undefined;
  }

  async claim(deliveries: DeliveryRef[], now: Date, event: HeraldEvent): Promise<ClaimResult[]> {
    const record = await this.keys.of(event.appId, event.id);
    // Those of one item together, a group at a time (DynamoDB caps an expression at 4 KB), each claimed on its own.
    const groups = byPart(deliveries, (d) => d.part).flatMap(([part, held]) =>
      chunksOf(held, DELIVERIES_PER_WRITE).map((group) => ({ key: itemKeyOf(record, part), group })),
    );
    const claimed = await Promise.all(groups.map(({ key, group }) => this.claimGroup(key, group, now, event)));
    const results = new Map(groups.flatMap(({ group }, g) => group.map((d, i) => [d.id, claimed[g]?.[i] as ClaimResult])));
    return deliveries.map((d) => results.get(d.id) as ClaimResult);
  }

  private async claimGroup(key: Item, deliveries: DeliveryRef[], now: Date, event: HeraldEvent): Promise<ClaimResult[]> {
    const fast = await this.claimAll(key, deliveries, now);
    if (fast) return fast;
    for (let tries = 0; tries < CLAIM_TRIES; tries++) {
      const item = (await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }))).Item;
      const claimed = await this.claimWhatIsDue(key, item, deliveries, now, event);
      if (claimed) return claimed;
    }
    // Others keep changing it (claims racing): look again in a few seconds.
    return deliveries.map(() => ({ later: new Date(now.getTime() + 5000) }));
  }

  /** The usual case: every delivery of the message can be claimed as the record has it. */
  private async claimAll(key: Item, deliveries: DeliveryRef[], now: Date): Promise<ClaimResult[] | undefined> {
    const names: Record<string, string> = { '#s': 's', '#k': 'k', '#m': 'm', '#x': 'x' };
    const values: Item = {
      ':sending': 'sending',
      ':queued': 'queued',
      ':retrying': 'retrying',
      ':now': now.toISOString(),
      ':soon': new Date(now.getTime() + DUE_TOLERANCE_MS).toISOString(),
      ':stale': new Date(now.getTime() - DELIVERY.staleClaimSeconds * 1000).toISOString(),
      ':one': 1,
    };
    const set: string[] = [];
    const conditions: string[] = [];
    deliveries.forEach((d, i) => {
      const a = `#d${i}`;
      names[a] = deliveryAttribute(d.id);
      set.push(`${a}.#s = :sending`, `${a}.#k = :now`, `${a}.#m = ${a}.#m + :one`);
      conditions.push(
        // A queued one whenever its message comes (held ones are queued by the sweeper when due); a retry once due.
        `${a}.#s = :queued OR (${a}.#s = :retrying AND (attribute_not_exists(${a}.#x) OR ${a}.#x <= :soon)) OR (${a}.#s = :sending AND ${a}.#k < :stale)`,
      );
    });
    try {
      const out = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: key,
          UpdateExpression: `SET ${set.join(', ')}`,
          ConditionExpression: conditions.map((c) => `(${c})`).join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return deliveries.map((d) => ({ claim: claimOf(out.Attributes?.[deliveryAttribute(d.id)] as StoredDelivery) }));
    } catch (err) {
      // Not claimable as a whole (one is done, held or missing), or the record is not written yet.
      if (isConditionFailure(err) || isMissingPath(err)) return undefined;
      throw err;
    }
  }

  /** Claims those of the deliveries the record says are due, creating any it does not hold yet. */
  private async claimWhatIsDue(
    key: Item,
    item: Item | undefined,
    deliveries: DeliveryRef[],
    now: Date,
    event: HeraldEvent,
  ): Promise<ClaimResult[] | undefined> {
    // Only what a clause uses: DynamoDB refuses a name or value no expression names.
    const names: Record<string, string> = {};
    const values: Item = {};
    const set: string[] = [];
    const conditions: string[] = [];
    const results: (ClaimResult | 'claim')[] = deliveries.map((d, i) => {
      const a = `#d${i}`;
      const stored = item?.[deliveryAttribute(d.id)] as StoredDelivery | undefined;
      if (!stored) {
        names[a] = deliveryAttribute(d.id);
        values[`:new${i}`] = { ...storedDelivery({ ...d, status: 'sending' }), m: 1, k: now.toISOString() };
        set.push(`${a} = :new${i}`);
        conditions.push(`attribute_not_exists(${a})`);
        return 'claim';
      }
      const decision = claimDecision(stored, now, DELIVERY.staleClaimSeconds);
      if (decision !== 'claim') return decision;
      names[a] = deliveryAttribute(d.id);
      Object.assign(values, { ':sending': 'sending', ':now': now.toISOString(), ':one': 1 });
      values[`:was${i}`] = stored.s;
      values[`:m${i}`] = attemptCounts(stored).made;
      set.push(`${a}.s = :sending`, `${a}.k = :now`, `${a}.m = :m${i} + :one`);
      conditions.push(`${a}.s = :was${i} AND ${a}.m = :m${i}`);
      return 'claim';
    });
    if (set.length === 0) return results as ClaimResult[];
    if (!item || typeof item['ty'] !== 'string') {
      // The event's record (or part) is written after its deliveries are queued: an attempt may come first.
      const { ev, ty } = eventAttributes(event);
      Object.assign(values, { ':ty': ty, ':exp': this.expiresAt(now) }, isPart(key) ? {} : { ':ev': ev });
      set.push(
        ...(isPart(key) ? [] : ['ev = if_not_exists(ev, :ev)']),
        'ty = if_not_exists(ty, :ty)',
        'expiresAt = if_not_exists(expiresAt, :exp)',
      );
    }
    try {
      const out = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: key,
          UpdateExpression: `SET ${set.join(', ')}`,
          ConditionExpression: conditions.map((c) => `(${c})`).join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return results.map((r, i) =>
        r === 'claim' ? { claim: claimOf(out.Attributes?.[deliveryAttribute((deliveries[i] as DeliveryRef).id)] as StoredDelivery) } : r,
      );
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  async record(outcomes: RecordedOutcome[]): Promise<void> {
    await this.writeOutcomes(outcomes);
    await Promise.all(outcomes.map(({ delivery, outcome }) => this.markEnded(delivery, outcome)));
  }

  private async writeOutcomes(outcomes: RecordedOutcome[]): Promise<void> {
    const first = outcomes[0];
    if (!first) return;
    const record = await this.keys.of(first.delivery.appId, first.delivery.eventId);
    // Those of one item together, a group at a time: DynamoDB caps an expression at 4 KB.
    await Promise.all(
      byPart(outcomes, (o) => o.delivery.part).flatMap(([part, held]) =>
        chunksOf(held, DELIVERIES_PER_WRITE).map((group) => this.writeOutcomeGroup(itemKeyOf(record, part), group)),
      ),
    );
  }

  private async writeOutcomeGroup(key: Item, outcomes: RecordedOutcome[]): Promise<void> {
    const names: Record<string, string> = {};
    const values: Item = {};
    const set: string[] = [];
    const remove: string[] = [];
    outcomes.forEach(({ delivery, outcome }, i) => {
      const a = `#d${i}`;
      names[a] = deliveryAttribute(delivery.id);
      values[`:s${i}`] = outcome.status;
      set.push(`${a}.s = :s${i}`);
      remove.push(`${a}.k`);
      if (outcome.attempt) {
        // The first attempts appended, later ones each in its slot, counted (stored-attempts.ts).
        const slot = slotOf(outcome.attempt.n);
        values[`:a${i}`] = slot ? storedAttempt(outcome.attempt) : [storedAttempt(outcome.attempt)];
        if (!slot) set.push(`${a}.a = list_append(${a}.a, :a${i})`);
        else {
          names[`#z${i}`] = slot;
          Object.assign(values, { ':zero': 0, ':one': 1 });
          set.push(`${a}.#z${i} = :a${i}`, `${a}.t = if_not_exists(${a}.t, :zero) + :one`);
        }
      }
      if (outcome.notCounted) {
        // Not counted against the retry schedule: the round starts one attempt later (as a revive starts it at the attempts made).
        Object.assign(values, { ':zero': 0, ':one': 1 });
        set.push(`${a}.b = if_not_exists(${a}.b, :zero) + :one`);
      }
      if (outcome.reason) {
        values[`:w${i}`] = clippedText(outcome.reason);
        set.push(`${a}.w = :w${i}`);
      } else remove.push(`${a}.w`);
      if (outcome.nextAttemptAt) {
        values[`:x${i}`] = outcome.nextAttemptAt.toISOString();
        set.push(`${a}.x = :x${i}`);
      } else remove.push(`${a}.x`);
    });
    // Kept for the retention from its latest attempt, as its markers are: a delivery still
    // retrying when the event's own retention ends (retries last up to two days) stays found.
    values[':exp'] = this.expiresAt(this.clock());
    set.push('expiresAt = :exp');
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: key,
          UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (err) {
      if (!isMissingPath(err)) throw err;
      // A decision about a delivery its record does not hold yet (refused before its ingest wrote it).
      await this.recordWithNew(key, outcomes);
    }
  }

  /** Outcomes some of which name deliveries the record does not hold: those are written whole, the others updated. */
  private async recordWithNew(key: Item, outcomes: RecordedOutcome[]): Promise<void> {
    const item = (await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }))).Item;
    const held = outcomes.filter((o) => item?.[deliveryAttribute(o.delivery.id)]);
    if (held.length) await this.writeOutcomeGroup(key, held);
    const fresh = outcomes.filter((o) => !item?.[deliveryAttribute(o.delivery.id)]);
    const names: Record<string, string> = {};
    const values: Item = {};
    const set = fresh.map(({ delivery, outcome }, i) => {
      names[`#d${i}`] = deliveryAttribute(delivery.id);
      const stored = storedDelivery({ ...delivery, status: outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}) });
      values[`:d${i}`] = outcome.attempt
        ? { ...withAttempt(stored, storedAttempt(outcome.attempt)), m: 1, ...(outcome.notCounted ? { b: 1 } : {}) }
        : stored;
      return `#d${i} = if_not_exists(#d${i}, :d${i})`;
    });
    if (set.length === 0) return;
    // The record may be new here; kept for the retention from this outcome, as writeOutcomeGroup does.
    values[':exp'] = this.expiresAt(this.clock());
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: key,
        UpdateExpression: `SET ${set.join(', ')}, expiresAt = :exp`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** The markers of a delivery that ended failed or dead (rare: a write each). */
  private async markEnded(delivery: DeliveryRef, outcome: Outcome): Promise<void> {
    if (outcome.status !== 'failed' && outcome.status !== 'dead') return;
    const recordPk = (await this.keys.of(delivery.appId, delivery.eventId)).pk;
    await Promise.all(endedMarkers(recordPk, delivery, outcome.status, this.expiresAt(this.clock())).map((m) => this.put(m)));
  }

  async revive(delivery: DeliveryRef, now: Date, from: 'dead' | 'failed' = 'dead'): Promise<boolean> {
    const revived = await writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: itemKeyOf(await this.keys.of(delivery.appId, delivery.eventId), delivery.part),
          // A fresh set of attempts: the retry schedule counts from the attempts made so far.
          UpdateExpression: 'SET #d.s = :queued, #d.b = #d.m REMOVE #d.w, #d.x, #d.k',
          // Not past its retention either: TTL deletes late, and what is gone is not sent again.
          ConditionExpression: '#d.s = :from AND (attribute_not_exists(expiresAt) OR expiresAt > :now)',
          ExpressionAttributeNames: { '#d': deliveryAttribute(delivery.id) },
          ExpressionAttributeValues: { ':queued': 'queued', ':from': from, ':now': Math.floor(now.getTime() / 1000) },
        }),
      ),
    );
    if (revived) {
      const recordPk = (await this.keys.of(delivery.appId, delivery.eventId)).pk;
      await Promise.all([this.delete(attentionKey(recordPk, delivery.id)), this.delete(deadKey(familyOf(delivery.channel), delivery.id))]);
    }
    return revived;
  }

  async unqueued(before: Date, limit: number): Promise<Delivery[]> {
    const markers = (
      await Promise.all(
        Array.from({ length: PENDING_SHARDS }, async (_, n) => {
          // Those due only, oldest first (gsi2: `<at>#<deliveryId>`): not every one held for later.
          const out = await this.table.client.send(
            new QueryCommand({
              TableName: this.table.name,
              IndexName: 'gsi2',
              KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :before',
              ExpressionAttributeValues: { ':pk': `PEND#${n}`, ':before': before.toISOString() },
              Limit: limit,
            }),
          );
          return out.Items ?? [];
        }),
      )
    )
      .flat()
      .sort((a, b) => String(a['gsi2sk']).localeCompare(String(b['gsi2sk'])))
      .slice(0, limit);
    const deliveries = await this.deliveriesOfMarkers(markers);
    // A marker whose record is gone (past its retention) is forgotten, not read again at every
    // sweep; one whose record is not written yet (its ingest still at work) is kept.
    const found = new Set(deliveries.map((d) => d.id));
    const longAgo = new Date(before.getTime() - 86_400_000).toISOString();
    const gone = markers.filter((m) => !found.has(String(m['sk'])) && String(m['at']) < longAgo);
    await Promise.all(gone.map((m) => this.delete({ pk: m['pk'], sk: m['sk'] })));
    return deliveries;
  }

  async markUnqueued(delivery: DeliveryRef, at: Date): Promise<void> {
    await this.put({ ...pendingMarker(delivery, at.toISOString()), expiresAt: this.expiresAt(this.clock()) });
  }

  async markQueued(delivery: DeliveryRef): Promise<void> {
    await this.delete(pendingKey(delivery.id));
  }

  async listDead(family: Family, page: PageRequest): Promise<Page<Delivery>> {
    const after = page.cursor ? cursorId(page.cursor) : undefined;
    const pages = await Promise.all(
      Array.from({ length: DEAD_SHARDS }, (_, n) =>
        this.table.client.send(
          new QueryCommand({
            TableName: this.table.name,
            KeyConditionExpression: `pk = :pk${after ? ' AND sk > :after' : ''}`,
            ExpressionAttributeValues: { ':pk': `DEAD#${family}#${n}`, ...(after ? { ':after': after } : {}) },
            Limit: page.limit,
          }),
        ),
      ),
    );
    const markers = pages.flatMap((p) => p.Items ?? []).sort((a, b) => String(a['sk']).localeCompare(String(b['sk'])));
    const kept = markers.slice(0, page.limit);
    const more = markers.length > page.limit || pages.some((p) => p.LastEvaluatedKey);
    const last = kept.at(-1);
    const items = (await this.deliveriesOfMarkers(kept)).filter((d) => d.status === 'dead');
    return { items, nextCursor: more && last ? encodeCursor({ sk: last['sk'] }) : null };
  }

  async countDead(family: Family): Promise<number> {
    const counts = await Promise.all(
      Array.from({ length: DEAD_SHARDS }, async (_, n) => {
        let count = 0;
        let start: Item | undefined;
        do {
          const out = await this.table.client.send(
            new QueryCommand({
              TableName: this.table.name,
              KeyConditionExpression: 'pk = :pk',
              // TTL deletes late: a marker past its retention no longer counts.
              FilterExpression: 'attribute_not_exists(expiresAt) OR expiresAt > :now',
              ExpressionAttributeValues: { ':pk': `DEAD#${family}#${n}`, ':now': Math.floor(this.clock().getTime() / 1000) },
              Select: 'COUNT',
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          );
          count += out.Count ?? 0;
          start = out.LastEvaluatedKey;
        } while (start);
        return count;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** The deliveries markers name, read from their records (BatchGetItem, 100 at a time). */
  private async deliveriesOfMarkers(markers: Item[]): Promise<Delivery[]> {
    const wanted = await Promise.all(
      markers.map(async (m) => {
        const deliveryId = String(m['sk']);
        // PEND and DEAD markers: each writer stores both.
        const appId = String(m['appId']);
        const eventId = String(m['eventId']);
        const part = m['p'] === undefined ? undefined : Number(m['p']);
        return { deliveryId, appId, key: itemKeyOf(await this.keys.of(appId, eventId), part) };
      }),
    );
    const records = await batchGetItems(
      this.table,
      wanted.map((w) => w.key),
    );
    const now = this.clock();
    return wanted.flatMap((w) => {
      const item = records.get(`${w.key.pk}|${w.key.sk}`);
      if (!item || expired(item, now)) return [];
      return deliveriesOf(item, w.appId).filter((d) => d.id === w.deliveryId);
    });
  }

  private async put(item: Item): Promise<void> {
    await this.table.client.send(new PutCommand({ TableName: this.table.name, Item: item }));
  }

  private async delete(key: Item): Promise<void> {
    await this.table.client.send(new DeleteCommand({ TableName: this.table.name, Key: key }));
  }

  private expiresAt(now: Date): number {
    return expiresAtOf(now, this.retentionDays);
  }
}

const isPart = (key: Item): boolean => String(key['pk']).startsWith('EVP#');

/** DynamoDB's answer to an update of a path whose parent does not exist (the record or the delivery not written yet). */
const isMissingPath = (err: unknown): boolean =>
  (err as { name?: string }).name === 'ValidationException' && /document path/i.test((err as Error).message);
