import { createHash } from 'node:crypto';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Claim, DeliveryFilter, DeliveryRef, DeliveryStore, NotifierStats, Outcome, Page, PageRequest } from '../core/ports.js';
import { familyOf, type Delivery, type Family } from '../core/types.js';
import { DELIVERY, PENDING_SHARDS, SWEEPER } from '../resources.js';
import { listDeliveries, notifierStats } from './dynamo-delivery-reads.js';
import { fromItem, isConditionFailure, queryPage, unlessConditionFails, writtenUnlessConditionFails, type Table } from './dynamo-table.js';

/*
 * Items:  DLV#<appId> / <deliveryId>   a delivery
 *         gsi1: DLVEVT#<eventId> / <deliveryId>            the deliveries of an event
 *         gsi2: PENDING#<shard> / <sweep at>#<deliveryId>  while it should be on a queue: when the
 *               sweeper should look at it (its due time and the sweeper's grace; a claim's stale time)
 *         gsi2: DEAD#<family> / <died at>#<deliveryId>     while it is dead: the family's dead letters
 * Delivery ids sort by creation, so "newest first" is a reverse query.
 */
const deliveryKey = (d: Pick<Delivery, 'appId' | 'id'>) => ({ pk: `DLV#${d.appId}`, sk: d.id });

const shardOf = (id: string): string => `PENDING#${createHash('sha1').update(id).digest()[0]! % PENDING_SHARDS}`;
const sweepKey = (id: string, at: Date) => ({ gsi2pk: shardOf(id), gsi2sk: `${at.toISOString()}#${id}` });
/** A delivery due at `due` is the sweeper's after the grace it gives the queue to hand it over. */
const sweepAfterDue = (due: Date | string): Date => new Date(new Date(due).getTime() + SWEEPER.graceSeconds * 1000);
const deadKey = (d: Pick<Delivery, 'id' | 'channel'>, at: Date | string) => ({
  gsi2pk: `DEAD#${familyOf(d.channel)}`,
  gsi2sk: `${typeof at === 'string' ? at : at.toISOString()}#${d.id}`,
});

export const deliveryItem = (d: Delivery): Record<string, unknown> => ({
  ...deliveryKey(d),
  gsi1pk: `DLVEVT#${d.eventId}`,
  gsi1sk: d.id,
  ...(d.status === 'queued' ? sweepKey(d.id, sweepAfterDue(d.nextAttemptAt ?? d.createdAt)) : {}),
  ...d,
});

/** A message may come back a little before the time its visibility was set for. */
const DUE_TOLERANCE_MS = 2000;

/**
 * Deliveries on DynamoDB: the delivery log; the claim that keeps a delivery from being
 * sent twice; and, in a sparse index, the deliveries that should be on a queue (by when
 * the sweeper should look at them) and the dead ones (the dead letters, by family).
 */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(private readonly table: Table) {}

  list(appId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<Delivery>> {
    return listDeliveries(this.table, appId, filter, page);
  }

  stats(appId: string, notifierId: string, window: { since: Date; until: Date }): Promise<NotifierStats> {
    return notifierStats(this.table, appId, notifierId, window);
  }

  async get(appId: string, deliveryId: string): Promise<Delivery | undefined> {
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: deliveryKey({ appId, id: deliveryId }), ConsistentRead: true }),
    );
    return out.Item ? fromItem<Delivery>(out.Item) : undefined;
  }

  async claim(delivery: DeliveryRef, now: Date): Promise<Claim | undefined> {
    const staleAfter = new Date(now.getTime() + DELIVERY.staleClaimSeconds * 1000);
    try {
      const out = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: deliveryKey(delivery),
          // While claimed, the sweeper looks at it again when its claim goes stale.
          UpdateExpression:
            'SET #status = :sending, claimedAt = :now, attemptCount = if_not_exists(attemptCount, :zero) + :one, gsi2pk = :shard, gsi2sk = :due',
          ConditionExpression:
            '#status = :queued OR (#status = :retrying AND (attribute_not_exists(nextAttemptAt) OR nextAttemptAt <= :soon)) OR (#status = :sending AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':queued': 'queued',
            ':retrying': 'retrying',
            ':now': now.toISOString(),
            ':soon': new Date(now.getTime() + DUE_TOLERANCE_MS).toISOString(),
            ':stale': new Date(now.getTime() - DELIVERY.staleClaimSeconds * 1000).toISOString(),
            ':zero': 0,
            ':one': 1,
            ':shard': shardOf(delivery.id),
            ':due': sweepKey(delivery.id, staleAfter).gsi2sk,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const n = Number(out.Attributes?.['attemptCount']);
      return { n, attemptInRound: n - Number(out.Attributes?.['attemptBase'] ?? 0) };
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  async record(delivery: DeliveryRef, outcome: Outcome): Promise<void> {
    const set = ['#status = :status'];
    const remove = ['claimedAt'];
    const values: Record<string, unknown> = { ':status': outcome.status };
    if (outcome.attempt) {
      set.push('attempts = list_append(if_not_exists(attempts, :empty), :attempt)');
      values[':attempt'] = [outcome.attempt];
      values[':empty'] = [];
    }
    if (outcome.reason) {
      set.push('reason = :reason');
      values[':reason'] = outcome.reason;
    } else remove.push('reason');
    if (outcome.nextAttemptAt) {
      const key = sweepKey(delivery.id, sweepAfterDue(outcome.nextAttemptAt));
      set.push('nextAttemptAt = :next', 'gsi2pk = :index', 'gsi2sk = :at');
      Object.assign(values, { ':next': outcome.nextAttemptAt.toISOString(), ':index': key.gsi2pk, ':at': key.gsi2sk });
    } else if (outcome.status === 'dead') {
      const key = deadKey(delivery, outcome.attempt?.at ?? new Date());
      set.push('gsi2pk = :index', 'gsi2sk = :at');
      Object.assign(values, { ':index': key.gsi2pk, ':at': key.gsi2sk });
      remove.push('nextAttemptAt');
    } else remove.push('nextAttemptAt', 'gsi2pk', 'gsi2sk');
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: deliveryKey(delivery),
        UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  async revive(delivery: DeliveryRef, now: Date, from: 'dead' | 'failed' = 'dead'): Promise<boolean> {
    // Only one in that status: a delivery the crash backstop put in the DLQ mid-attempt is left to its claim.
    const key = sweepKey(delivery.id, sweepAfterDue(now));
    return writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: deliveryKey(delivery),
          UpdateExpression:
            'SET #status = :queued, attemptBase = if_not_exists(attemptCount, :zero), gsi2pk = :shard, gsi2sk = :due REMOVE reason',
          ConditionExpression: '#status = :from',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':queued': 'queued', ':from': from, ':zero': 0, ':shard': key.gsi2pk, ':due': key.gsi2sk },
        }),
      ),
    );
  }

  async snooze(delivery: Pick<Delivery, 'appId' | 'id'>, until: Date): Promise<void> {
    // Unless it went out (or died) meanwhile.
    await unlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: deliveryKey(delivery),
          UpdateExpression: 'SET gsi2sk = :due',
          ConditionExpression: 'begins_with(gsi2pk, :pending)',
          ExpressionAttributeValues: { ':due': sweepKey(delivery.id, until).gsi2sk, ':pending': 'PENDING#' },
        }),
      ),
    );
  }

  async due(before: Date, limit: number): Promise<Delivery[]> {
    const shards = Array.from({ length: PENDING_SHARDS }, (_, i) => `PENDING#${i}`);
    const pages = await Promise.all(
      shards.map((shard) =>
        this.table.client.send(
          new QueryCommand({
            TableName: this.table.name,
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :shard AND gsi2sk < :before',
            ExpressionAttributeValues: { ':shard': shard, ':before': before.toISOString() },
            Limit: limit,
          }),
        ),
      ),
    );
    return pages
      .flatMap((p) => p.Items ?? [])
      .sort((a, b) => String(a['gsi2sk']).localeCompare(String(b['gsi2sk'])))
      .slice(0, limit)
      .map((item) => fromItem<Delivery>(item));
  }

  listDead(family: Family, page: PageRequest): Promise<Page<Delivery>> {
    return queryPage<Delivery>(
      this.table,
      { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :dead', ExpressionAttributeValues: { ':dead': `DEAD#${family}` } },
      page.limit,
      page.cursor,
    );
  }

  async countDead(family: Family): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.table.client.send(
        new QueryCommand({
          TableName: this.table.name,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :dead',
          ExpressionAttributeValues: { ':dead': `DEAD#${family}` },
          Select: 'COUNT',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  }
}
