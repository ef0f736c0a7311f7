import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoRecordSource, newestRecords } from './dynamo-delivery-reads.js';
import type { EventStore, IdempotencyRecord, Page, PageRequest, StoredAnswer } from '../core/ports.js';
import type { Delivery, HeraldEvent } from '../core/types.js';
import { batchWrite, chunksOf, isConditionFailure, writtenUnlessConditionFails, type Table } from './dynamo-table.js';
import {
  answerOfRecord,
  DELIVERIES_PER_WRITE,
  deliveryAttribute,
  endedMarkers,
  eventAttributes,
  eventOf,
  expiresAtOf,
  itemKeyOf,
  storedDelivery,
  type RecordKeys,
} from './event-records.js';

/*
 * Items:  EVT#<appId>#<shard> / <eventId>   an event's record, with its deliveries (event-records.ts)
 *         EVP#<appId>#<shard> / <eventId>#<n>  a part of it, with deliveries, for an event with many
 *         IDEM#<appId>#<key> / #IDEM        an idempotency key's claim, until expiresAt
 */
const idempotencyKey = (appId: string, key: string) => ({ pk: `IDEM#${appId}#${key}`, sk: '#IDEM' });

type Item = Record<string, unknown>;

/**
 * Events on DynamoDB, one record each with its deliveries: the ingest writes it once, after
 * the deliveries are queued, and never over what a claim wrote first. Listing merges the
 * app's partitions (one for most apps) newest first.
 */
export class DynamoEventStore implements EventStore {
  constructor(
    private readonly table: Table,
    private readonly keys: RecordKeys,
    private readonly retentionDays: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.records = new DynamoRecordSource(table, keys, clock);
  }

  private readonly records: DynamoRecordSource;

  async claimIdempotencyKey(
    appId: string,
    key: string,
    record: IdempotencyRecord,
    nowSeconds: number,
  ): Promise<IdempotencyRecord | undefined> {
    try {
      // Expiry is checked here, not left to TTL: TTL deletes late (and never in dynalite).
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...idempotencyKey(appId, key), ...record },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      return undefined;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: idempotencyKey(appId, key), ConsistentRead: true }),
    );
    const item = out.Item;
    if (!item) throw new Error(`idempotency record ${key} vanished while being read`);
    return idempotencyRecordOf(item);
  }

  async takeOverIdempotencyKey(appId: string, key: string, claimedAt: string, now: string): Promise<boolean> {
    return writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: idempotencyKey(appId, key),
          UpdateExpression: 'SET claimedAt = :now',
          ConditionExpression: 'claimedAt = :claimedAt',
          ExpressionAttributeValues: { ':now': now, ':claimedAt': claimedAt },
        }),
      ),
    );
  }

  async save(event: HeraldEvent, deliveries: Delivery[], answer: Pick<StoredAnswer, 'unchanged'>): Promise<void> {
    const key = await this.keys.of(event.appId, event.id);
    const expiresAt = expiresAtOf(this.clock(), this.retentionDays);
    const eventWrite = {
      set: ['ev = :ev', 'ty = :ty', 'u = if_not_exists(u, :u)'],
      values: { ...Object.fromEntries(Object.entries(eventAttributes(event)).map(([k, v]) => [`:${k}`, v])), ':u': answer.unchanged },
    };
    const parts = new Set(deliveries.flatMap((d) => d.part ?? []));
    // The record's own deliveries in groups (DynamoDB caps an expression at 4 KB), or its
    // parts'; the event itself with the last write: a record that shows its event holds
    // every delivery of it (or names its parts, all written).
    const own = chunksOf(
      deliveries.filter((d) => !d.part),
      DELIVERIES_PER_WRITE,
    ).reverse();
    const [last = [], ...others] = parts.size ? [[]] : own;
    await Promise.all([
      ...others.map((group) => this.saveDeliveries(key, group, expiresAt)),
      ...[...parts].flatMap((part) =>
        chunksOf(
          deliveries.filter((d) => d.part === part),
          DELIVERIES_PER_WRITE,
        ).map((group) => this.saveDeliveries(itemKeyOf(key, part), group, expiresAt, { set: ['ty = :ty'], values: { ':ty': event.type } })),
      ),
    ]);
    await this.saveDeliveries(
      key,
      last,
      expiresAt,
      parts.size ? { set: [...eventWrite.set, 'p = :p'], values: { ...eventWrite.values, ':p': parts.size } } : eventWrite,
    );
    // Those stored ended (refused by their queue) are found by the log's failed and dead views, as recorded ones are.
    const markers = deliveries.flatMap((d) => endedMarkers(key.pk, d, d.status, expiresAt));
    if (markers.length)
      await batchWrite(
        this.table,
        markers.map((put) => ({ put })),
      );
  }

  /** One UpdateItem of a record: deliveries (a delivery a claim wrote first, its attempt before this write, is kept), and maybe the event. */
  private async saveDeliveries(key: Item, deliveries: Delivery[], expiresAt: number, event?: { set: string[]; values: Item }) {
    const names: Record<string, string> = {};
    const values: Item = { ...event?.values, ':exp': expiresAt };
    const set = [...(event?.set ?? []), 'expiresAt = if_not_exists(expiresAt, :exp)'];
    deliveries.forEach((d, i) => {
      names[`#d${i}`] = deliveryAttribute(d.id);
      values[`:d${i}`] = storedDelivery(d);
      set.push(`#d${i} = if_not_exists(#d${i}, :d${i})`);
    });
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: key,
        UpdateExpression: `SET ${set.join(', ')}`,
        ...(deliveries.length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      }),
    );
  }

  async get(appId: string, eventId: string): Promise<HeraldEvent | undefined> {
    const item = await this.records.record(appId, eventId);
    return item ? eventOf(item, appId) : undefined;
  }

  async answerOf(appId: string, eventId: string): Promise<StoredAnswer | undefined> {
    const item = await this.records.record(appId, eventId, true);
    return item ? answerOfRecord(item, appId) : undefined;
  }

  async list(appId: string, page: PageRequest): Promise<Page<HeraldEvent>> {
    const { items, nextCursor } = await newestRecords(this.table, await this.keys.partitions(appId), page, this.clock());
    return { items: items.flatMap((i) => eventOf(i, appId) ?? []), nextCursor };
  }
}

/** An idempotency key's claim as stored. */
export const idempotencyRecordOf = (item: Item): IdempotencyRecord => ({
  requestHash: String(item['requestHash']),
  eventId: String(item['eventId']),
  expiresAt: Number(item['expiresAt']),
  claimedAt: String(item['claimedAt']),
});
