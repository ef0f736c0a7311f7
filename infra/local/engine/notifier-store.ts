import type { NotifierStore, Page, PageRequest } from '../../../shared/core/ports.js';
import { asStoredNow, type StoredNotifier } from '../../../shared/core/stored-notifier.js';
import type { App, Notifier } from '../../../shared/core/types.js';
import { fromItem } from '../../../shared/aws/dynamo-table.js';
import { indexed, pageOf, rangeAfter } from './pages.js';
import type { Item, Table } from './table.js';

/*
 * Items:  APP#<appId> / NTF#<id>   a notifier, beside its app (global ones under APP#*);
 *                                  the `failing` index lists those whose deliveries fail
 */

/** Every read goes through asStoredNow: what earlier versions stored reads as this version means it. */
const notifierOf = (item: Item): Notifier => asStoredNow(fromItem<StoredNotifier>({ ...item }));

export const notifierItem = (n: Notifier) => ({ pk: `APP#${n.appId}`, sk: `NTF#${n.id}`, ...n });

/** Notifiers in the embedded store. */
export class EmbeddedNotifierStore implements NotifierStore {
  constructor(private readonly table: Table) {}

  async put(notifier: Notifier): Promise<void> {
    const item = notifierItem(notifier);
    this.table.put(item.pk, item.sk, item);
  }

  async get(appId: string, notifierId: string): Promise<Notifier | undefined> {
    const item = this.table.get(`APP#${appId}`, `NTF#${notifierId}`);
    return item ? notifierOf(item) : undefined;
  }

  async list(appId: string, page: PageRequest): Promise<Page<Notifier>> {
    return pageOf(this.table.query(`APP#${appId}`, rangeAfter(page, { from: 'NTF#', below: 'NTF$' })), page.limit, notifierOf);
  }

  async delete(appId: string, notifierId: string): Promise<boolean> {
    if (!this.table.get(`APP#${appId}`, `NTF#${notifierId}`)) return false;
    this.table.delete(`APP#${appId}`, `NTF#${notifierId}`);
    return true;
  }

  async markFailing(appId: string, notifierId: string, since: string): Promise<void> {
    const item = this.table.get(`APP#${appId}`, `NTF#${notifierId}`);
    if (item && !item['failingSince']) this.table.put(`APP#${appId}`, `NTF#${notifierId}`, { ...item, failingSince: since });
  }

  async clearFailing(appId: string, notifierId: string): Promise<void> {
    const item = this.table.get(`APP#${appId}`, `NTF#${notifierId}`);
    if (!item?.['failingSince']) return;
    const { failingSince: _since, ...rest } = item;
    this.table.put(`APP#${appId}`, `NTF#${notifierId}`, rest);
  }

  async failingSince(before: Date): Promise<Notifier[]> {
    return [...indexed(this.table.queryIndex('failing', 'FAILING', { below: before.toISOString() }))].map(([, item]) => notifierOf(item));
  }

  async routingView(appId: string): Promise<{ app?: App; notifiers: Notifier[] }> {
    const view: { app?: App; notifiers: Notifier[] } = { notifiers: [] };
    for (const [sk, item] of this.table.query(`APP#${appId}`)) {
      if (sk === '#APP') view.app = fromItem<App>({ ...item });
      else view.notifiers.push(notifierOf(item));
    }
    return view;
  }
}
