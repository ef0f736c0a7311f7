import type {
  ClaimResult,
  DeliveryFilter,
  DeliveryRef,
  DeliveryStore,
  NotifierStats,
  Page,
  PageRequest,
  RecordedOutcome,
} from '../../../shared/core/ports.js';
import type { Delivery, Family, HeraldEvent } from '../../../shared/core/types.js';
import { eventIdOfDelivery } from '../../../shared/ids.js';
import { DELIVERY } from '../../../shared/resources.js';
import { listDeliveries, notifierStats } from '../../../shared/aws/delivery-log-reads.js';
import {
  attemptCounts,
  byPart,
  claimDecision,
  claimOf,
  deliveriesOf,
  deliveryAttribute,
  eventAttributes,
  expired,
  expiresAtOf,
  itemKeyOf,
  storedDelivery,
  type StoredDelivery,
} from '../../../shared/aws/event-records.js';
import { clippedText, storedAttempt, withAttempt } from '../../../shared/aws/stored-attempts.js';
import { EmbeddedRecordSource, recordOf, recordPk } from './record-source.js';
import type { Item, Table } from './table.js';

/*
 * Deliveries live in their event's record (record-source.ts). What DynamoDB keeps as
 * markers beside the records are the engine's indexes, derived from them (engine.ts):
 * failed and dead deliveries (`attention`), a family's dead letters (`dead`); and
 *   PEND / <deliveryId>   {appId, eventId, at}   a delivery no queue holds (the `pending` index by `at`)
 */

/**
 * Deliveries in the embedded store. A claim reads the record and writes it in the same
 * turn of the event loop (nothing else runs between), so two claims of one delivery never
 * both succeed. A claim or an outcome goes to the disk with the journal's next group
 * commit, not before the attempt: a crash in those milliseconds sends the delivery again
 * after the restart, as a lost claim does on DynamoDB (deliveries are at least once), and
 * no answer to anyone waits for it.
 */
export class EmbeddedDeliveryStore implements DeliveryStore {
  private readonly records: EmbeddedRecordSource;

  constructor(
    private readonly table: Table,
    private readonly retentionDays: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.records = new EmbeddedRecordSource(table, clock);
  }

  list(appId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>> {
    return listDeliveries(this.records, appId, filter, page);
  }

  stats(appId: string, notifierId: string, window: { since: Date; until: Date }): Promise<NotifierStats> {
    return notifierStats(this.records, appId, notifierId, window);
  }

  async get(appId: string, deliveryId: string): Promise<Delivery | undefined> {
    const item = recordOf(this.table, appId, eventIdOfDelivery(deliveryId), this.clock());
    return item ? deliveriesOf(item, appId).find((d) => d.id === deliveryId) : undefined;
  }

  async claim(deliveries: DeliveryRef[], now: Date, event: HeraldEvent): Promise<ClaimResult[]> {
    const results = new Map<string, ClaimResult>();
    for (const [part, held] of byPart(deliveries, (d) => d.part)) {
      const { pk, sk } = itemKeyOf({ pk: recordPk(event.appId), sk: event.id }, part);
      const before = this.table.get(pk, sk);
      const changed: Record<string, StoredDelivery> = {};
      for (const d of held) {
        const name = deliveryAttribute(d.id);
        const stored = before?.[name] as StoredDelivery | undefined;
        const decision = claimDecision(stored, now, DELIVERY.staleClaimSeconds);
        if (decision !== 'claim') {
          results.set(d.id, decision);
          continue;
        }
        // One the record does not hold yet (its attempt came before the ingest's write) is created claimed.
        const claimed = stored
          ? { ...stored, s: 'sending' as const, k: now.toISOString(), m: attemptCounts(stored).made + 1 }
          : { ...storedDelivery({ ...d, status: 'sending' }), m: 1, k: now.toISOString() };
        changed[name] = claimed;
        results.set(d.id, { claim: claimOf(claimed) });
      }
      if (Object.keys(changed).length === 0) continue;
      // The event's record (or part) is written after its deliveries are queued: an attempt may come first.
      const { ev, ty } = eventAttributes(event);
      const unwritten = typeof before?.['ty'] !== 'string' ? { ...(part ? {} : { ev }), ty, expiresAt: this.expiresAt(now) } : {};
      this.table.put(pk, sk, { pk, sk, ...unwritten, ...before, ...changed });
    }
    return deliveries.map((d) => results.get(d.id) as ClaimResult);
  }

  async record(outcomes: RecordedOutcome[]): Promise<void> {
    const first = outcomes[0];
    if (!first) return;
    for (const [part, held] of byPart(outcomes, (o) => o.delivery.part)) {
      const { pk, sk } = itemKeyOf({ pk: recordPk(first.delivery.appId), sk: first.delivery.eventId }, part);
      const before: Item = this.table.get(pk, sk) ?? { pk, sk };
      const changed: Record<string, StoredDelivery> = {};
      for (const { delivery, outcome } of held) changed[deliveryAttribute(delivery.id)] = afterOutcome(before, delivery, outcome);
      // Kept for the retention from its latest attempt, as on DynamoDB.
      this.table.put(pk, sk, { ...before, ...changed, expiresAt: this.expiresAt(this.clock()) });
    }
  }

  async revive(delivery: DeliveryRef, now: Date, from: 'dead' | 'failed' = 'dead'): Promise<boolean> {
    const { pk, sk } = itemKeyOf({ pk: recordPk(delivery.appId), sk: delivery.eventId }, delivery.part);
    const before = this.table.get(pk, sk);
    const name = deliveryAttribute(delivery.id);
    const stored = before?.[name] as StoredDelivery | undefined;
    // Not past its retention either: what is gone is not sent again.
    if (!before || stored?.s !== from || expired(before, now)) return false;
    // A fresh set of attempts: the retry schedule counts from the attempts made so far.
    const { k: _claimedAt, w: _reason, x: _next, ...rest } = stored;
    this.table.put(pk, sk, { ...before, [name]: { ...rest, s: 'queued', b: attemptCounts(stored).made } });
    return true;
  }

  async unqueued(before: Date, limit: number): Promise<Delivery[]> {
    const found: Delivery[] = [];
    const gone: string[] = [];
    const longAgo = new Date(before.getTime() - 86_400_000).toISOString();
    for (const { item } of this.table.queryIndex('pending', 'PEND', { below: before.toISOString() })) {
      if (found.length === limit) break;
      const delivery = await this.get(String(item['appId']), String(item['sk']));
      if (delivery) found.push(delivery);
      // Its record gone (past its retention): forgotten, as on DynamoDB; one whose ingest is still writing it is kept.
      else if (String(item['at']) < longAgo) gone.push(String(item['sk']));
    }
    for (const id of gone) this.table.delete('PEND', id);
    return found;
  }

  async markUnqueued(delivery: DeliveryRef, at: Date): Promise<void> {
    this.table.put('PEND', delivery.id, {
      pk: 'PEND',
      sk: delivery.id,
      appId: delivery.appId,
      eventId: delivery.eventId,
      at: at.toISOString(),
      expiresAt: this.expiresAt(this.clock()),
    });
  }

  async markQueued(delivery: DeliveryRef): Promise<void> {
    this.table.delete('PEND', delivery.id);
  }

  async listDead(family: Family, page: PageRequest): Promise<Page<Delivery>> {
    const after = page.cursor ? Buffer.from(page.cursor, 'base64url').toString('utf8') : undefined;
    const now = this.clock();
    const items: Delivery[] = [];
    for (const { key, pk, item } of this.table.queryIndex('dead', `DEAD#${family}`, after ? { from: `${after}\u0000` } : {})) {
      // The record or the part that holds it (EVT#<appId> or EVP#<appId>).
      const d = expired(item, now) ? undefined : deliveriesOf(item, pk.slice(4)).find((x) => x.id === key);
      if (!d) continue;
      if (items.length === page.limit) {
        return { items, nextCursor: Buffer.from((items.at(-1) as Delivery).id).toString('base64url') };
      }
      items.push(d);
    }
    return { items, nextCursor: null };
  }

  async countDead(family: Family): Promise<number> {
    // A record past its retention is gone (the minute's sweep deletes it late), as on DynamoDB.
    const now = this.clock();
    let count = 0;
    for (const { item } of this.table.queryIndex('dead', `DEAD#${family}`)) if (!expired(item, now)) count++;
    return count;
  }

  private expiresAt(now: Date): number {
    return expiresAtOf(now, this.retentionDays);
  }
}

/** A delivery as an outcome leaves it; one the record does not hold yet (refused before its ingest wrote it) is made. */
function afterOutcome(before: Item, delivery: DeliveryRef, outcome: RecordedOutcome['outcome']): StoredDelivery {
  const stored = before[deliveryAttribute(delivery.id)] as StoredDelivery | undefined;
  if (!stored) {
    const fresh = storedDelivery({ ...delivery, status: outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}) });
    return outcome.attempt
      ? { ...withAttempt(fresh, storedAttempt(outcome.attempt)), m: 1, ...(outcome.notCounted ? { b: 1 } : {}) }
      : fresh;
  }
  const { k: _claimedAt, w: _reason, x: _next, ...rest } = stored;
  return {
    ...(outcome.attempt ? withAttempt(rest, storedAttempt(outcome.attempt)) : rest),
    // Not counted against the retry schedule: the round starts one attempt later (as a revive starts it at the attempts made).
    ...(outcome.notCounted ? { b: attemptCounts(stored).base + 1 } : {}),
    s: outcome.status,
    ...(outcome.reason ? { w: clippedText(outcome.reason) } : {}),
    ...(outcome.nextAttemptAt ? { x: outcome.nextAttemptAt.toISOString() } : {}),
  };
}
