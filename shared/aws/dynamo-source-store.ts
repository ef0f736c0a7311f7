import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SourceStore, StoredSource } from '../core/ports.js';
import { batchWrite, fromItem, queryAll, type Table } from './dynamo-table.js';
import { listedSource, listedSourcesPk, sourceKey } from './item-keys.js';

/**
 * Inbound sources on DynamoDB: each written twice, listed under its app (SRCS#<appId>) and
 * found by its id (SRC#<sourceId>), the one read an inbound request makes.
 */
export class DynamoSourceStore implements SourceStore {
  constructor(private readonly table: Table) {}

  async put(source: StoredSource): Promise<void> {
    await batchWrite(this.table, [
      { put: { ...listedSource(source.appId, source.id), ...source } },
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

  async delete(appId: string, sourceId: string): Promise<boolean> {
    const found = await this.get(sourceId);
    if (!found || found.appId !== appId) return false;
    await batchWrite(this.table, [{ delete: listedSource(appId, sourceId) }, { delete: sourceKey(sourceId) }]);
    return true;
  }
}
