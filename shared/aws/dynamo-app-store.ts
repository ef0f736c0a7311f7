import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AppStore, KeyStore, Page, PageRequest } from '../core/ports.js';
import type { ApiKey, App, Notifier } from '../core/types.js';
import { batchWrite, fromItem, isConditionFailure, queryAll, queryPage, type Table } from './dynamo-table.js';
import { notifierItem } from './dynamo-notifier-store.js';
import { appKey, keyLookup, listedKey, listedKeysPk } from './item-keys.js';

/*
 * Items (keyed in item-keys.ts):
 *         APP#<id> / #APP            the app (gsi1: APPS / <id>, for listing)
 *         KEYS#<appId> / <keyId>     a key as the API lists it, with its hash
 *         KEY#<sha256> / #KEY        the lookup of a presented key
 */

/**
 * Apps on DynamoDB. Creating one also writes its first key and its default notifier: the
 * app first, conditionally (the id is the claim), then the rest in one batch. dynalite has
 * no TransactWriteItems (TOOLCHAIN.md), so the design does not depend on it.
 */
export class DynamoAppStore implements AppStore {
  constructor(private readonly table: Table) {}

  async create(app: App, key: ApiKey, keyHash: string, defaultNotifier: Notifier): Promise<boolean> {
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...appKey(app.id), gsi1pk: 'APPS', gsi1sk: app.id, ...app },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
    await batchWrite(this.table, [...keyItems(key, keyHash).map((put) => ({ put })), { put: notifierItem(defaultNotifier) }]);
    return true;
  }

  async get(appId: string): Promise<App | undefined> {
    const out = await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: appKey(appId) }));
    return out.Item ? fromItem<App>(out.Item) : undefined;
  }

  list(page: PageRequest): Promise<Page<App>> {
    return queryPage<App>(
      this.table,
      { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': 'APPS' } },
      page.limit,
      page.cursor,
    );
  }

  async update(app: App): Promise<void> {
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...appKey(app.id), gsi1pk: 'APPS', gsi1sk: app.id, ...app },
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async delete(appId: string): Promise<void> {
    const [own, keys] = await Promise.all([
      queryAll(this.table, { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': appKey(appId).pk } }),
      queryAll(this.table, { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': listedKeysPk(appId) } }),
    ]);
    const targets = [...own, ...keys].map((i) => ({ pk: String(i['pk']), sk: String(i['sk']) }));
    for (const k of keys) targets.push(keyLookup(String(k['hash'])));
    await batchWrite(
      this.table,
      targets.map((key) => ({ delete: key })),
    );
  }
}

function keyItems(key: ApiKey, hash: string): Record<string, unknown>[] {
  return [
    { ...listedKey(key.appId, key.id), ...key, hash },
    { ...keyLookup(hash), ...key },
  ];
}

/** Ingest keys on DynamoDB, found by the SHA-256 of the presented key. */
export class DynamoKeyStore implements KeyStore {
  constructor(private readonly table: Table) {}

  async add(key: ApiKey, keyHash: string): Promise<void> {
    await batchWrite(
      this.table,
      keyItems(key, keyHash).map((put) => ({ put })),
    );
  }

  async findByHash(keyHash: string): Promise<ApiKey | undefined> {
    const out = await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: keyLookup(keyHash), ConsistentRead: true }));
    return out.Item ? fromItem<ApiKey>(out.Item) : undefined;
  }

  async list(appId: string): Promise<ApiKey[]> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': listedKeysPk(appId) },
    });
    return items.map((i) => {
      const { hash: _hash, ...key } = fromItem<ApiKey & { hash: string }>(i);
      return key;
    });
  }

  async revoke(appId: string, keyId: string, at: string): Promise<boolean> {
    let hash: string;
    try {
      const out = await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: listedKey(appId, keyId),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      hash = String(out.Attributes?.['hash']);
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keyLookup(hash),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
    return true;
  }
}
