import type { AppStore, KeyStore, Page, PageRequest } from '../../../shared/core/ports.js';
import type { ApiKey, App, Notifier } from '../../../shared/core/types.js';
import { fromItem } from '../../../shared/aws/dynamo-table.js';
import { appKey, keyLookup, listedKey, listedKeysPk } from '../../../shared/aws/item-keys.js';
import { notifierItem } from './notifier-store.js';
import { ConditionFailed, indexed, pageOf, rangeAfter } from './pages.js';
import type { Table } from './table.js';

/*
 * Items, keyed as on DynamoDB (item-keys.ts):
 *   APP#<id> / #APP          the app (the `apps` index lists them by id)
 *   KEYS#<appId> / <keyId>   a key as the API lists it, with its hash
 *   KEY#<sha256> / #KEY      the lookup of a presented key
 */
const appItem = (app: App) => ({ ...appKey(app.id), ...app });
const keyItems = (key: ApiKey, hash: string) => [
  { ...listedKey(key.appId, key.id), ...key, hash },
  { ...keyLookup(hash), ...key },
];
const getItem = (table: Table, key: { pk: string; sk: string }) => table.get(key.pk, key.sk);

/** Apps in the embedded store: creating one writes the app (if its id is free), its first key and its default notifier. */
export class EmbeddedAppStore implements AppStore {
  constructor(private readonly table: Table) {}

  async create(app: App, key: ApiKey, keyHash: string, defaultNotifier: Notifier): Promise<boolean> {
    if (getItem(this.table, appKey(app.id))) return false;
    for (const item of [appItem(app), ...keyItems(key, keyHash), notifierItem(defaultNotifier)]) put(this.table, item);
    return true;
  }

  async get(appId: string): Promise<App | undefined> {
    const item = getItem(this.table, appKey(appId));
    return item ? fromItem<App>({ ...item }) : undefined;
  }

  async list(page: PageRequest): Promise<Page<App>> {
    return pageOf<App>(indexed(this.table.queryIndex('apps', 'APPS', rangeAfter(page))), page.limit);
  }

  async update(app: App): Promise<void> {
    if (!getItem(this.table, appKey(app.id))) throw new ConditionFailed(`no app ${app.id}`);
    put(this.table, appItem(app));
  }

  async delete(appId: string): Promise<void> {
    const own = appKey(appId).pk;
    const doomed: { pk: string; sk: string }[] = [];
    for (const [sk] of this.table.query(own)) doomed.push({ pk: own, sk });
    for (const [sk, key] of this.table.query(listedKeysPk(appId))) doomed.push(listedKey(appId, sk), keyLookup(String(key['hash'])));
    for (const { pk, sk } of doomed) this.table.delete(pk, sk);
  }
}

/** Ingest keys in the embedded store, found by the SHA-256 of the presented key. */
export class EmbeddedKeyStore implements KeyStore {
  constructor(private readonly table: Table) {}

  async add(key: ApiKey, keyHash: string): Promise<void> {
    for (const item of keyItems(key, keyHash)) put(this.table, item);
  }

  async findByHash(keyHash: string): Promise<ApiKey | undefined> {
    const item = getItem(this.table, keyLookup(keyHash));
    return item ? fromItem<ApiKey>({ ...item }) : undefined;
  }

  async list(appId: string): Promise<ApiKey[]> {
    return [...this.table.query(listedKeysPk(appId))].map(([, item]) => {
      const { hash: _hash, ...key } = fromItem<ApiKey & { hash: string }>({ ...item });
      return key;
    });
  }

  async revoke(appId: string, keyId: string, at: string): Promise<boolean> {
    const listed = getItem(this.table, listedKey(appId, keyId));
    if (!listed) return false;
    const lookup = getItem(this.table, keyLookup(String(listed['hash'])));
    put(this.table, { ...listed, ...listedKey(appId, keyId), revokedAt: listed['revokedAt'] ?? at });
    if (lookup) put(this.table, { ...lookup, ...keyLookup(String(listed['hash'])), revokedAt: lookup['revokedAt'] ?? at });
    return true;
  }
}

/** Puts an item that carries its own keys. */
export const put = (table: Table, item: { pk: string; sk: string } & Record<string, unknown>): void => table.put(item.pk, item.sk, item);
