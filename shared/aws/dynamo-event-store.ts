import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Declined, EventStore, IdempotencyRecord, Page, PageRequest } from '../core/ports.js';
import type { Delivery, HeraldEvent } from '../core/types.js';
import { batchWrite, fromItem, isConditionFailure, queryPage, writtenUnlessConditionFails, type Table } from './dynamo-table.js';
import { deliveryItem } from './dynamo-delivery-store.js';

/*
 * Items:  EVT#<appId> / <eventId>          an event (ids sort by time: newest first is a reverse query)
 *         IDEM#<appId>#<key> / #IDEM       an idempotency key's first answer, until expiresAt
 */
const idempotencyKey = (appId: string, key: string) => ({ pk: `IDEM#${appId}#${key}`, sk: '#IDEM' });

/**
 * An event's `data` and `source` are stored as JSON text: DynamoDB numbers hold neither
 * 1e300 nor 1e-300 (38 digits, 1e-130 to 1e126) and its maps nest at most 32 deep, while
 * an app may post any JSON number a double holds. Events written before are maps: both read.
 */
const eventItem = (event: HeraldEvent) => ({
  pk: `EVT#${event.appId}`,
  sk: event.id,
  ...event,
  ...(event.data !== undefined ? { data: JSON.stringify(event.data) } : {}),
  ...(event.source !== undefined ? { source: JSON.stringify(event.source) } : {}),
});

function fromEventItem(item: Record<string, unknown>): HeraldEvent {
  const event = fromItem<HeraldEvent>(item);
  const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown>));
  return {
    ...event,
    ...(event.data !== undefined ? { data: json(event.data) } : {}),
    ...(event.source !== undefined ? { source: json(event.source) } : {}),
  };
}

/** Events and idempotency records on DynamoDB. */
export class DynamoEventStore implements EventStore {
  constructor(private readonly table: Table) {}

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
    return {
      requestHash: String(item['requestHash']),
      eventId: String(item['eventId']),
      deliveries: Number(item['deliveries']),
      ...(item['unchanged'] === true ? { unchanged: true } : {}),
      ...(Array.isArray(item['declined']) ? { declined: item['declined'] as Declined[] } : {}),
      expiresAt: Number(item['expiresAt']),
      state: item['state'] === 'pending' ? 'pending' : 'done',
      claimedAt: String(item['claimedAt']),
    };
  }

  async takeOverIdempotencyKey(appId: string, key: string, claimedAt: string, now: string): Promise<boolean> {
    return writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: idempotencyKey(appId, key),
          UpdateExpression: 'SET claimedAt = :now',
          ConditionExpression: '#state = :pending AND claimedAt = :claimedAt',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':now': now, ':pending': 'pending', ':claimedAt': claimedAt },
        }),
      ),
    );
  }

  async completeIdempotencyKey(
    appId: string,
    key: string,
    { deliveries, unchanged = false, declined = [] }: Pick<IdempotencyRecord, 'deliveries' | 'unchanged' | 'declined'>,
  ): Promise<void> {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: idempotencyKey(appId, key),
        UpdateExpression: 'SET #state = :done, deliveries = :deliveries, unchanged = :unchanged, declined = :declined',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done', ':deliveries': deliveries, ':unchanged': unchanged, ':declined': declined },
      }),
    );
  }

  async save(event: HeraldEvent, deliveries: Delivery[], options: { keepExisting?: boolean } = {}): Promise<void> {
    const items = [eventItem(event), ...deliveries.map(deliveryItem)];
    if (!options.keepExisting) {
      await batchWrite(
        this.table,
        items.map((put) => ({ put })),
      );
      return;
    }
    // A delivery written before may have been sent already: never overwrite one.
    await Promise.all(
      items.map((Item) =>
        this.table.client
          .send(new PutCommand({ TableName: this.table.name, Item, ConditionExpression: 'attribute_not_exists(pk)' }))
          .catch((err: unknown) => {
            if (!isConditionFailure(err)) throw err;
          }),
      ),
    );
  }

  async get(appId: string, eventId: string): Promise<HeraldEvent | undefined> {
    const out = await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: { pk: `EVT#${appId}`, sk: eventId } }));
    return out.Item ? fromEventItem(out.Item) : undefined;
  }

  async list(appId: string, page: PageRequest): Promise<Page<HeraldEvent>> {
    const result = await queryPage<Record<string, unknown>>(
      this.table,
      { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `EVT#${appId}` }, ScanIndexForward: false },
      page.limit,
      page.cursor,
    );
    return { ...result, items: result.items.map(fromEventItem) };
  }
}
