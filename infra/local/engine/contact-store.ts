import { contactGroupItem, contactItem } from '../../../shared/aws/dynamo-contact-store.js';
import { fromItem } from '../../../shared/aws/dynamo-table.js';
import { contactGroupKey, contactGroupsPk, contactKey, contactsPk, type ItemKey } from '../../../shared/aws/item-keys.js';
import type { Contact, ContactGroup } from '../../../shared/core/contacts.js';
import type { ContactStore } from '../../../shared/core/ports.js';
import { put } from './app-store.js';
import type { Table } from './table.js';

/** Contacts and contact groups in the embedded store, keyed as on DynamoDB (CON#<appId> / <id>, CGR#<appId> / <id>). */
export class EmbeddedContactStore implements ContactStore {
  constructor(private readonly table: Table) {}

  put = async (contact: Contact) => put(this.table, contactItem(contact));
  get = async (appId: string, id: string) => this.read<Contact>(contactKey(appId, id));
  list = async (appId: string) => this.all<Contact>(contactsPk(appId));
  delete = async (appId: string, id: string) => this.remove(contactKey(appId, id));
  putGroup = async (group: ContactGroup) => put(this.table, contactGroupItem(group));
  getGroup = async (appId: string, id: string) => this.read<ContactGroup>(contactGroupKey(appId, id));
  listGroups = async (appId: string) => this.all<ContactGroup>(contactGroupsPk(appId));
  deleteGroup = async (appId: string, id: string) => this.remove(contactGroupKey(appId, id));

  private read<T>(key: ItemKey): T | undefined {
    const item = this.table.get(key.pk, key.sk);
    return item ? fromItem<T>({ ...item }) : undefined;
  }

  private all<T>(pk: string): T[] {
    return [...this.table.query(pk)].map(([, item]) => fromItem<T>({ ...item }));
  }

  private remove(key: ItemKey): boolean {
    if (!this.table.get(key.pk, key.sk)) return false;
    this.table.delete(key.pk, key.sk);
    return true;
  }
}
