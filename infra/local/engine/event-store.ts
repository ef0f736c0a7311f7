import type { EventStore, IdempotencyRecord, Page, PageRequest, StoredAnswer } from '../../../shared/core/ports.js';
import type { Delivery, HeraldEvent } from '../../../shared/core/types.js';
import {
  answerOfRecord,
  byPart,
  deliveryAttribute,
  eventAttributes,
  eventOf,
  expired,
  expiresAtOf,
  itemKeyOf,
  storedDelivery,
} from '../../../shared/aws/event-records.js';
import { idempotencyRecordOf } from '../../../shared/aws/dynamo-event-store.js';
import { pageOf, rangeAfter } from './pages.js';
import { recordOf, recordPk } from './record-source.js';
import type { Item, Table } from './table.js';

/*
 * Items:  EVT#<appId> / <eventId>   an event's record, with its deliveries (record-source.ts)
 *         EVP#<appId> / <eventId>#<n>   a part of it, for an event with many deliveries
 *         IDEM#<appId>#<key> / #IDEM   an idempotency key's claim, until expiresAt
 */

/**
 * Events in the embedded store, one record each with its deliveries: the ingest writes it
 * once its deliveries are queued, never over what a claim wrote first.
 */
export class EmbeddedEventStore implements EventStore {
  constructor(
    private readonly table: Table,
    private readonly retentionDays: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async claimIdempotencyKey(
    appId: string,
    key: string,
    record: IdempotencyRecord,
    nowSeconds: number,
  ): Promise<IdempotencyRecord | undefined> {
    const [pk, sk] = [`IDEM#${appId}#${key}`, '#IDEM'];
    const held = this.table.get(pk, sk);
    if (held && Number(held['expiresAt']) >= nowSeconds) return idempotencyRecordOf(held);
    this.table.put(pk, sk, { pk, sk, ...record });
    return undefined;
  }

  async takeOverIdempotencyKey(appId: string, key: string, claimedAt: string, now: string): Promise<boolean> {
    const [pk, sk] = [`IDEM#${appId}#${key}`, '#IDEM'];
    const held = this.table.get(pk, sk);
    if (held?.['claimedAt'] !== claimedAt) return false;
    this.table.put(pk, sk, { ...held, claimedAt: now });
    return true;
  }

  async save(event: HeraldEvent, deliveries: Delivery[], answer: Pick<StoredAnswer, 'unchanged'>): Promise<void> {
    const key = { pk: recordPk(event.appId), sk: event.id };
    const expiresAt = expiresAtOf(this.clock(), this.retentionDays);
    let parts = 0;
    // Parts as on DynamoDB (event-records.ts): no item grows with the event, nor does the journal's line for it.
    for (const [part, held] of byPart(deliveries, (d) => d.part)) {
      if (!part) continue;
      parts++;
      const { pk, sk } = itemKeyOf(key, part);
      const before: Item = this.table.get(pk, sk) ?? { pk, sk };
      this.table.put(pk, sk, withDeliveries({ ...before, ty: event.type, expiresAt: before['expiresAt'] ?? expiresAt }, held));
    }
    const before: Item = this.table.get(key.pk, key.sk) ?? key;
    const record = {
      ...before,
      ...eventAttributes(event),
      u: before['u'] ?? answer.unchanged,
      expiresAt: before['expiresAt'] ?? expiresAt,
      ...(parts ? { p: parts } : {}),
    };
    this.table.put(
      key.pk,
      key.sk,
      withDeliveries(
        record,
        deliveries.filter((d) => !d.part),
      ),
    );
  }

  async get(appId: string, eventId: string): Promise<HeraldEvent | undefined> {
    const item = recordOf(this.table, appId, eventId, this.clock());
    return item ? eventOf(item, appId) : undefined;
  }

  async answerOf(appId: string, eventId: string): Promise<StoredAnswer | undefined> {
    const item = recordOf(this.table, appId, eventId, this.clock());
    return item ? answerOfRecord(item, appId) : undefined;
  }

  async list(appId: string, page: PageRequest): Promise<Page<HeraldEvent>> {
    const now = this.clock();
    function* live(entries: Iterable<[string, Item]>): Generator<[string, Item]> {
      for (const entry of entries) if (!expired(entry[1], now) && typeof entry[1]['ev'] === 'string') yield entry;
    }
    return pageOf(
      live(this.table.query(recordPk(appId), rangeAfter(page, { descending: true }))),
      page.limit,
      (i) => eventOf(i, appId) as HeraldEvent,
    );
  }
}

/** An item with these deliveries added: one a claim wrote first (its attempt came before this write) is kept. */
function withDeliveries(item: Record<string, unknown>, deliveries: Delivery[]): Item {
  const out = { ...item };
  for (const d of deliveries) out[deliveryAttribute(d.id)] ??= storedDelivery(d);
  return out;
}
