import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Contact, ContactGroup } from '../core/contacts.js';
import type { ContactStore } from '../core/ports.js';
import { fromItem, queryAll, type Table } from './dynamo-table.js';
import { contactGroupKey, contactGroupsPk, contactKey, contactsPk, type ItemKey } from './item-keys.js';

/** A contact's or a group's item: its key, then itself. */
export const contactItem = (contact: Contact) => ({ ...contactKey(contact.appId, contact.id), ...contact });
export const contactGroupItem = (group: ContactGroup) => ({ ...contactGroupKey(group.appId, group.id), ...group });

/**
 * Contacts (CON#<appId> / <id>) and contact groups (CGR#<appId> / <id>) on DynamoDB, a
 * partition each per app (installation-wide ones under `*`), oldest first (ids sort by time).
 * Not under APP#<appId>: a version before contacts reads every item there as the app or a
 * notifier. Routing reads both partitions beside the notifiers', in parallel.
 */
export class DynamoContactStore implements ContactStore {
  constructor(private readonly table: Table) {}

  put = (contact: Contact) => this.write(contactItem(contact));
  get = (appId: string, id: string) => this.read<Contact>(contactKey(appId, id));
  list = (appId: string) => this.all<Contact>(contactsPk(appId));
  delete = (appId: string, id: string) => this.remove(contactKey(appId, id));
  putGroup = (group: ContactGroup) => this.write(contactGroupItem(group));
  getGroup = (appId: string, id: string) => this.read<ContactGroup>(contactGroupKey(appId, id));
  listGroups = (appId: string) => this.all<ContactGroup>(contactGroupsPk(appId));
  deleteGroup = (appId: string, id: string) => this.remove(contactGroupKey(appId, id));

  private async write(item: Record<string, unknown>): Promise<void> {
    await this.table.client.send(new PutCommand({ TableName: this.table.name, Item: item }));
  }

  private async read<T>(key: ItemKey): Promise<T | undefined> {
    const out = await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: key }));
    return out.Item ? fromItem<T>(out.Item) : undefined;
  }

  private async all<T>(pk: string): Promise<T[]> {
    const items = await queryAll(this.table, { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': pk } });
    return items.map((item) => fromItem<T>(item));
  }

  private async remove(key: ItemKey): Promise<boolean> {
    const out = await this.table.client.send(new DeleteCommand({ TableName: this.table.name, Key: key, ReturnValues: 'ALL_OLD' }));
    return out.Attributes !== undefined;
  }
}
