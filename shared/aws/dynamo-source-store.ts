import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SourceStore, StoredSource } from '../core/ports.js';
import { batchWrite, fromItem, queryAll, writtenUnlessConditionFails, type Table } from './dynamo-table.js';
import { listedSource, listedSourcesPk, sourceKey } from './item-keys.js';

/**
 * Inbound sources on DynamoDB: each written twice, listed under its app (SRCS#<appId>) and
 * found by its id (SRC#<sourceId>), the one read an inbound request makes. Only the latter
 * holds the secret (a token's hash, GitHub's HMAC key): the listing keeps when the previous
 * one stops being taken, which is all a list shows of it.
 */
export function listedCopy(source: StoredSource): StoredSource {
  const { secret, ...rest } = source;
  return secret?.previous ? { ...rest, secret: { previous: { until: secret.previous.until } } } : rest;
}

export class DynamoSourceStore implements SourceStore {
  constructor(private readonly table: Table) {}

  async put(source: StoredSource): Promise<void> {
    await batchWrite(this.table, [
      { put: { ...listedSource(source.appId, source.id), ...listedCopy(source) } },
      { put: { ...sourceKey(source.id), ...source } },
    ]);
  }

  async get(sourceId: string): Promise<StoredSource | undefined> {
    const out = await this.table.client.send(
      new GetCommand({ TableName: this.table.name, Key: sourceKey(sourceId), ConsistentRead: true }),
    );
    return out.Item ? fromItem<StoredSource>(out.Item) : undefined;
  }

  async list(appId: string): Promise<StoredSource[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': listedSourcesPk(appId) },
    });
    return items.map((i) => fromItem<StoredSource>(i));
  }

  async replaceSecret(read: StoredSource, rotated: StoredSource): Promise<boolean> {
    // The item inbound requests read first, on the condition that it is as read: a delete or
    // another rotation meanwhile wins, rather than this one bringing the source back.
    const same = secretCondition(read);
    const written = await writtenUnlessConditionFails(
      this.table.client.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...sourceKey(rotated.id), ...rotated },
          ConditionExpression: `attribute_exists(pk) AND ${same.expression}`,
          ExpressionAttributeNames: same.names,
          ExpressionAttributeValues: same.values,
        }),
      ),
    );
    if (!written) return false;
    // The listing's copy, unless a delete came in between.
    return writtenUnlessConditionFails(
      this.table.client.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...listedSource(rotated.appId, rotated.id), ...listedCopy(rotated) },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  async delete(appId: string, sourceId: string): Promise<boolean> {
    const found = await this.get(sourceId);
    if (!found || found.appId !== appId) return false;
    await batchWrite(this.table, [{ delete: listedSource(appId, sourceId) }, { delete: sourceKey(sourceId) }]);
    return true;
  }
}

/** That the item's secret is still the one `read` had: its token's hash or its HMAC key. */
function secretCondition(read: StoredSource): { expression: string; names: Record<string, string>; values: Record<string, unknown> } {
  const field = read.secret?.hash !== undefined ? 'hash' : 'key';
  const value = read.secret?.[field];
  if (value === undefined) return { expression: 'attribute_not_exists(#secret)', names: { '#secret': 'secret' }, values: {} };
  return { expression: '#secret.#field = :value', names: { '#secret': 'secret', '#field': field }, values: { ':value': value } };
}
