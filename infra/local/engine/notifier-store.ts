import type { NotifierStore, Page, PageRequest } from '../../../shared/core/ports.js';
import { asStoredNow, type StoredNotifier } from '../../../shared/core/stored-notifier.js';
import type { App, Notifier } from '../../../shared/core/types.js';
import { fromItem } from '../../../shared/aws/dynamo-table.js';
import { appKey, notifierKey } from '../../../shared/aws/item-keys.js';
import { indexed, pageOf, rangeAfter } from './pages.js';
import type { Item, Table } from './table.js';

/*
 * Items:  APP#<appId> / NTF#<id>   a notifier, beside its app (global ones under APP#*; item-keys.ts);
 *                                  the `failing` index lists those whose deliveries fail
 */

/** Every read goes through asStoredNow: what earlier versions stored reads as this version means it. */
const notifierOf = (item: Item): Notifier => asStoredNow(fromItem<StoredNotifier>({ ...item }));

export const notifierItem = (n: Notifier) => ({ ...notifierKey(n.appId, n.id), ...n });
const getItem = (table: Table, appId: string, notifierId: string) => {
  const { pk, sk } = notifierKey(appId, notifierId);
  return table.get(pk, sk);
};

/** Notifiers in the embedded store. */
export class EmbeddedNotifierStore implements NotifierStore {
  constructor(private readonly table: Table) {}

  async put(notifier: Notifier): Promise<void> {
    const item = notifierItem(notifier);
    this.table.put(item.pk, item.sk, item);
  }

  async get(appId: string, notifierId: string): Promise<Notifier | undefined> {
    const item = getItem(this.table, appId, notifierId);
    return item ? notifierOf(item) : undefined;
  }

  async list(appId: string, page: PageRequest): Promise<Page<Notifier>> {
    return pageOf(this.table.query(appKey(appId).pk, rangeAfter(page, { from: 'NTF#', below: 'NTF$' })), page.limit, notifierOf);
  }

  async delete(appId: string, notifierId: string): Promise<boolean> {
    const { pk, sk } = notifierKey(appId, notifierId);
    if (!this.table.get(pk, sk)) return false;
    this.table.delete(pk, sk);
    return true;
  }

  async markFailing(appId: string, notifierId: string, since: string): Promise<void> {
    const { pk, sk } = notifierKey(appId, notifierId);
    const item = this.table.get(pk, sk);
    if (item && !item['failingSince']) this.table.put(pk, sk, { ...item, failingSince: since });
  }

  async clearFailing(appId: string, notifierId: string): Promise<void> {
    const { pk, sk } = notifierKey(appId, notifierId);
    const item = this.table.get(pk, sk);
    if (!item?.['failingSince']) return;
    const { failingSince: _since, ...rest } = item;
    this.table.put(pk, sk, rest);
  }

  async failingSince(before: Date): Promise<Notifier[]> {
    return [...indexed(this.table.queryIndex('failing', 'FAILING', { below: before.toISOString() }))].map(([, item]) => notifierOf(item));
  }

  async routingView(appId: string): Promise<{ app?: App; notifiers: Notifier[] }> {
    const view: { app?: App; notifiers: Notifier[] } = { notifiers: [] };
    for (const [sk, item] of this.table.query(appKey(appId).pk)) {
      if (sk === '#APP') view.app = fromItem<App>({ ...item });
      else view.notifiers.push(notifierOf(item));
    }
    return view;
  }
}
