import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Attempt, type ChannelName, type HeraldEvent } from '../core/types.js';
import { deliveryIdOf } from '../ids.js';
import type { Table } from './dynamo-table.js';
import { storedAttempt } from './stored-attempts.js';
import {
  deliveryAttribute,
  endedMarkers,
  expiresAtOf,
  eventAttributes,
  pendingMarker,
  type RecordKeys,
  type StoredDelivery,
} from './event-records.js';

type Item = Record<string, unknown>;

export interface MigrationContext {
  table: Table;
  keys: RecordKeys;
  retentionDays: number;
  now: Date;
}

/**
 * The items versions before event records wrote: an event at `EVT#<appId>` / <eventId>,
 * and each delivery at `DLV#<appId>` / <deliveryId> (with `gsi1` by event and `gsi2` for
 * pending and dead ones). Each is moved into its event's record, never over what is there
 * already (an attempt made since), with the markers its state needs, then deleted.
 */
export const EVENT_RECORDS_FILTER = {
  expression: '(begins_with(pk, :evt) AND attribute_not_exists(ev)) OR begins_with(pk, :dlv)',
  values: { ':evt': 'EVT#', ':dlv': 'DLV#' },
};

export async function moveToEventRecord(ctx: MigrationContext, item: Item): Promise<void> {
  const pk = String(item['pk']);
  // An app id is a slug: the old keys hold one `#`, a record's two.
  if (pk.split('#').length !== 2) return;
  if (pk.startsWith('EVT#')) await moveEvent(ctx, item);
  else await moveDelivery(ctx, item);
  await ctx.table.client.send(new DeleteCommand({ TableName: ctx.table.name, Key: { pk: item['pk'], sk: item['sk'] } }));
}

/** Maps written before an event's data and source were kept as JSON text read as they are. */
const json = (v: unknown) =>
  typeof v === 'string' ? (JSON.parse(v) as Record<string, unknown>) : (v as Record<string, unknown> | undefined);

async function moveEvent(ctx: MigrationContext, item: Item): Promise<void> {
  const appId = String(item['pk']).slice(4);
  const event: HeraldEvent = {
    id: String(item['sk']),
    appId,
    type: String(item['type']),
    severity: item['severity'] as HeraldEvent['severity'],
    ...(item['title'] !== undefined ? { title: String(item['title']) } : {}),
    ...(item['message'] !== undefined ? { message: String(item['message']) } : {}),
    ...(item['data'] !== undefined ? { data: json(item['data']) as Record<string, unknown> } : {}),
    occurredAt: String(item['occurredAt']),
    receivedAt: String(item['receivedAt']),
    ...(item['fingerprint'] !== undefined ? { fingerprint: String(item['fingerprint']) } : {}),
    ...(item['source'] !== undefined ? { source: json(item['source']) as Record<string, unknown> } : {}),
  };
  const { ev, ty } = eventAttributes(event);
  await ctx.table.client.send(
    new UpdateCommand({
      TableName: ctx.table.name,
      Key: await ctx.keys.of(appId, event.id),
      UpdateExpression: 'SET ev = if_not_exists(ev, :ev), ty = if_not_exists(ty, :ty), expiresAt = if_not_exists(expiresAt, :exp)',
      ExpressionAttributeValues: { ':ev': ev, ':ty': ty, ':exp': expiry(ctx, event.receivedAt) },
    }),
  );
}

async function moveDelivery(ctx: MigrationContext, item: Item): Promise<void> {
  const appId = String(item['appId']);
  const eventId = String(item['eventId']);
  // The id its record gives it: a notifier test's delivery had one of its own then (newId('dlv')).
  const deliveryId = deliveryIdOf(eventId, String(item['sk']).slice(-10));
  const channel = item['channel'] as ChannelName;
  const status = String(item['status']);
  const stored: StoredDelivery = {
    n: String(item['notifierId']),
    c: channel,
    r: String(item['recipient']),
    s: status as StoredDelivery['s'],
    m: Number(item['attemptCount'] ?? 0),
    ...(item['attemptBase'] !== undefined ? { b: Number(item['attemptBase']) } : {}),
    a: ((item['attempts'] as Attempt[] | undefined) ?? []).map(storedAttempt),
    ...(item['reason'] ? { w: String(item['reason']) } : {}),
    ...(item['nextAttemptAt'] ? { x: String(item['nextAttemptAt']) } : {}),
    ...(item['claimedAt'] ? { k: String(item['claimedAt']) } : {}),
  };
  const key = await ctx.keys.of(appId, eventId);
  await ctx.table.client.send(
    new UpdateCommand({
      TableName: ctx.table.name,
      Key: key,
      UpdateExpression: 'SET #d = if_not_exists(#d, :d), expiresAt = if_not_exists(expiresAt, :exp)',
      ExpressionAttributeNames: { '#d': deliveryAttribute(deliveryId) },
      ExpressionAttributeValues: { ':d': stored, ':exp': expiry(ctx, String(item['createdAt'])) },
    }),
  );
  const exp = expiry(ctx, String(item['createdAt']));
  const put = (marker: Item) => ctx.table.client.send(new PutCommand({ TableName: ctx.table.name, Item: marker }));
  for (const marker of endedMarkers(key.pk, { id: deliveryId, appId, eventId, channel }, stored.s, exp)) await put(marker);
  // Waiting: the sweeper queues it (a copy already queued is sent once: the claim).
  if (status === 'queued' || status === 'retrying' || status === 'sending') {
    const at = status === 'retrying' && item['nextAttemptAt'] ? String(item['nextAttemptAt']) : ctx.now.toISOString();
    await put(pendingMarker({ id: deliveryId, appId, eventId }, at));
  }
}

const expiry = (ctx: MigrationContext, from: string) =>
  expiresAtOf(Number.isNaN(Date.parse(from)) ? ctx.now : new Date(from), ctx.retentionDays);
