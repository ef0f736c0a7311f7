import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotifierStore, Page, PageRequest } from '../core/ports.js';
import { asStoredNow, type StoredNotifier } from '../core/stored-notifier.js';
import type { App, Notifier } from '../core/types.js';
import { fromItem, unlessConditionFails, queryAll, queryPage, type Table } from './dynamo-table.js';
import { appKey, notifierKey } from './item-keys.js';

/*
 * Items:  APP#<appId> / NTF#<id>   a notifier, beside its app (global ones under APP#*),
 *                                  so that one Query returns an app and all its notifiers
 *         gsi2: FAILING / <failingSince>#<id>   only while its deliveries fail
 */

/** Every read goes through asStoredNow: what earlier versions stored reads as this version means it. */
const notifierOf = (item: Record<string, unknown>): Notifier => asStoredNow(fromItem<StoredNotifier>(item));

export const notifierItem = (n: Notifier): Record<string, unknown> => ({
  ...notifierKey(n.appId, n.id),
  ...(n.failingSince ? { gsi2pk: 'FAILING', gsi2sk: `${n.failingSince}#${n.id}` } : {}),
  ...n,
});

/** Notifiers on DynamoDB. */
export class DynamoNotifierStore implements NotifierStore {
  constructor(private readonly table: Table) {}

  async put(notifier: Notifier): Promise<void> {
    await this.table.client.send(new PutCommand({ TableName: this.table.name, Item: notifierItem(notifier) }));
  }

  async get(appId: string, notifierId: string): Promise<Notifier | undefined> {
    const out = await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: notifierKey(appId, notifierId) }));
    return out.Item ? notifierOf(out.Item) : undefined;
  }

  async list(appId: string, page: PageRequest): Promise<Page<Notifier>> {
    const stored = await queryPage<Record<string, unknown>>(
      this.table,
      { KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)', ExpressionAttributeValues: { ':p': appKey(appId).pk, ':s': 'NTF#' } },
      page.limit,
      page.cursor,
    );
    return { ...stored, items: stored.items.map(notifierOf) };
  }

  async delete(appId: string, notifierId: string): Promise<boolean> {
    const out = await this.table.client.send(
      new DeleteCommand({ TableName: this.table.name, Key: notifierKey(appId, notifierId), ReturnValues: 'ALL_OLD' }),
    );
    return out.Attributes !== undefined;
  }

  async markFailing(appId: string, notifierId: string, since: string): Promise<void> {
    await unlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: notifierKey(appId, notifierId),
          UpdateExpression: 'SET failingSince = :since, gsi2pk = :failing, gsi2sk = :sk',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(failingSince)',
          ExpressionAttributeValues: { ':since': since, ':failing': 'FAILING', ':sk': `${since}#${notifierId}` },
        }),
      ),
    );
  }

  async clearFailing(appId: string, notifierId: string): Promise<void> {
    await unlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: notifierKey(appId, notifierId),
          UpdateExpression: 'REMOVE failingSince, gsi2pk, gsi2sk',
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  async failingSince(before: Date): Promise<Notifier[]> {
    const items = await queryAll(this.table, {
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :failing AND gsi2sk < :before',
      ExpressionAttributeValues: { ':failing': 'FAILING', ':before': before.toISOString() },
    });
    return items.map(notifierOf);
  }

  async routingView(appId: string): Promise<{ app?: App; notifiers: Notifier[] }> {
    const items = await queryAll(this.table, { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': appKey(appId).pk } });
    const view: { app?: App; notifiers: Notifier[] } = { notifiers: [] };
    for (const item of items) {
      if (item['sk'] === '#APP') view.app = fromItem<App>(item);
      else view.notifiers.push(notifierOf(item));
    }
    return view;
  }
}
