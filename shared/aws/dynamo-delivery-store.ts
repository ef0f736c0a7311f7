import { GetCommand, paginateScan, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryFilter, DeliveryStore, Page, PageRequest } from '../core/ports.js';
import type { Attempt, Delivery, DeliveryMessage, DeliveryStatus } from '../core/types.js';
import { DELIVERY } from '../resources.js';
import { fromItem, isConditionFailure, queryFilteredPage, type Table } from './dynamo-table.js';

/*
 * Items:  DLV#<appId> / <deliveryId>   a delivery (gsi1: DLVEVT#<eventId> / <deliveryId>)
 * Delivery ids sort by creation, so "newest first" is a reverse query.
 */
const deliveryKey = (d: Pick<Delivery, 'appId' | 'id'>) => ({ pk: `DLV#${d.appId}`, sk: d.id });

export const deliveryItem = (d: Delivery): Record<string, unknown> => ({
  ...deliveryKey(d),
  gsi1pk: `DLVEVT#${d.eventId}`,
  gsi1sk: d.id,
  ...d,
});

/** A claim older than this is taken to be from a function that crashed mid-send. */
const STALE_CLAIM_MS = DELIVERY.functionTimeoutSeconds * 2 * 1000;

/** Deliveries on DynamoDB: the delivery log, and the claim that keeps a delivery from being sent twice. */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(private readonly table: Table) {}

  list(appId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const conditions: string[] = [];
    if (filter.status) {
      names['#status'] = 'status';
      values[':status'] = filter.status;
      conditions.push('#status = :status');
    }
    if (filter.notifierId) {
      values[':notifierId'] = filter.notifierId;
      conditions.push('notifierId = :notifierId');
    }
    const byEvent = filter.eventId !== undefined;
    if (byEvent) {
      values[':appId'] = appId;
      conditions.push('appId = :appId');
    }
    const key = byEvent
      ? {
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ...values, ':p': `DLVEVT#${filter.eventId}` },
        }
      : { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ...values, ':p': `DLV#${appId}` } };
    return queryFilteredPage<Delivery>(
      this.table,
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

  async get(appId: string, deliveryId: string): Promise<Delivery | undefined> {
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: deliveryKey({ appId, id: deliveryId }), ConsistentRead: true }),
    );
    return out.Item ? fromItem<Delivery>(out.Item) : undefined;
  }

  async claim(delivery: DeliveryMessage['delivery'], now: Date): Promise<number | undefined> {
    try {
      const out = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: deliveryKey(delivery),
          UpdateExpression: 'SET #status = :sending, claimedAt = :now, attemptCount = if_not_exists(attemptCount, :zero) + :one',
          ConditionExpression: '#status IN (:queued, :retrying) OR (#status = :sending AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':queued': 'queued',
            ':retrying': 'retrying',
            ':now': now.toISOString(),
            ':stale': new Date(now.getTime() - STALE_CLAIM_MS).toISOString(),
            ':zero': 0,
            ':one': 1,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.['attemptCount']);
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  async recordAttempt(delivery: DeliveryMessage['delivery'], attempt: Attempt, status: DeliveryStatus, reason?: string): Promise<void> {
    const set = ['#status = :status', 'attempts = list_append(if_not_exists(attempts, :empty), :attempt)'];
    const remove = ['claimedAt'];
    if (reason) set.push('reason = :reason');
    else remove.push('reason');
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: deliveryKey(delivery),
        UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status, ':attempt': [attempt], ':empty': [], ...(reason ? { ':reason': reason } : {}) },
      }),
    );
  }

  async *pending(): AsyncIterable<Delivery> {
    const pages = paginateScan(
      { client: this.table.client },
      {
        TableName: this.table.name,
        FilterExpression: 'begins_with(pk, :dlv) AND #status IN (:queued, :retrying, :sending)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':dlv': 'DLV#', ':queued': 'queued', ':retrying': 'retrying', ':sending': 'sending' },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) yield fromItem<Delivery>(item);
  }
}
