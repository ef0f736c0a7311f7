import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import type { HeldFailure, SilenceStore } from '../core/ports.js';
import type { Silence } from '../core/silences.js';
import { batchWrite, fromItem, queryAll, writtenUnlessConditionFails, type Table } from './dynamo-table.js';
import { silenceKey, silencesPk } from './item-keys.js';

/** A silence is kept a week past its end (DynamoDB TTL): the list shows what ended lately, then it goes. */
export const SILENCE_KEPT_SECONDS = 7 * 24 * 3600;

export const silenceItem = (silence: Silence) => ({
  ...silenceKey(silence.appId, silence.id),
  ...silence,
  expiresAt: Math.floor(Date.parse(silence.expiredAt ?? silence.endsAt) / 1000) + SILENCE_KEPT_SECONDS,
});

/**
 * Silences on DynamoDB: SIL#<appId> / <id>, a partition per app, newest last (ids sort by
 * time). Not beside the notifiers under APP#<appId>: a version before silences reads every
 * item there as the app or a notifier, and would fail on one after a rollback.
 */
export class DynamoSilenceStore implements SilenceStore {
  constructor(private readonly table: Table) {}

  async put(silence: Silence): Promise<void> {
    await this.table.client.send(new PutCommand({ TableName: this.table.name, Item: silenceItem(silence) }));
  }

  async get(appId: string, silenceId: string): Promise<Silence | undefined> {
    const out = await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: silenceKey(appId, silenceId) }));
    return out.Item ? silenceOf(out.Item) : undefined;
  }

  async list(appId: string): Promise<Silence[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': silencesPk(appId) },
      ScanIndexForward: false,
    });
    return items.map(silenceOf);
  }

  async expire(appId: string, silenceId: string, at: Date): Promise<boolean> {
    const now = at.toISOString();
    return writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: silenceKey(appId, silenceId),
          UpdateExpression: 'SET expiredAt = :now, expiresAt = :ttl',
          // Not one that has ended already (by its time, or expired before).
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(expiredAt) AND endsAt > :now',
          ExpressionAttributeValues: { ':now': now, ':ttl': Math.floor(at.getTime() / 1000) + SILENCE_KEPT_SECONDS },
        }),
      ),
    );
  }

  async deleteAll(appId: string): Promise<void> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': silencesPk(appId) },
      ProjectionExpression: 'pk, sk',
    });
    await batchWrite(
      this.table,
      items.map((i) => ({ delete: { pk: String(i['pk']), sk: String(i['sk']) } })),
    );
  }

  async holdFailure(appId: string, silenceId: string, failure: { stateKey: string; appId: string; eventId?: string }): Promise<void> {
    const { eventId, ...check } = failure;
    await writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: silenceKey(appId, silenceId),
          UpdateExpression: eventId ? 'SET #held = :failure' : 'REMOVE #held',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#held': heldAttribute(failure.stateKey) },
          ...(eventId ? { ExpressionAttributeValues: { ':failure': { ...check, eventId } } } : {}),
        }),
      ),
    );
  }

  async heldFailures(appId: string, silenceId: string): Promise<HeldFailure[]> {
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: silenceKey(appId, silenceId), ConsistentRead: true }),
    );
    return out.Item ? heldFailuresOf(out.Item) : [];
  }

  async countSilenced(appId: string, silenceId: string, events: number): Promise<void> {
    await writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: silenceKey(appId, silenceId),
          UpdateExpression: 'ADD silenced :n',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':n': events },
        }),
      ),
    );
  }
}

/** A silence as stored, without the failures it holds (h_<hash of the check's state key>). */
export const silenceOf = (item: Record<string, unknown>): Silence => {
  const { expiresAt: _ttl, ...silence } = fromItem<Silence & { expiresAt?: number }>(item);
  return Object.fromEntries(Object.entries(silence).filter(([name]) => !name.startsWith(HELD))) as unknown as Silence;
};

const HELD = 'h_';
/** The attribute that holds a check's failure: a hash of its state key (any length, any characters). */
export const heldAttribute = (stateKey: string): string =>
  `${HELD}${createHash('sha256').update(stateKey).digest('base64url').slice(0, 22)}`;
export const heldFailuresOf = (item: Record<string, unknown>): HeldFailure[] =>
  Object.entries(item).flatMap(([name, value]) => (name.startsWith(HELD) ? [value as HeldFailure] : []));
