import type { AppStore, KeyStore, Page, PageRequest } from '../../../shared/core/ports.js';
import type { ApiKey, App, Notifier } from '../../../shared/core/types.js';
import { fromItem } from '../../../shared/aws/dynamo-table.js';
import { notifierItem } from './notifier-store.js';
import { ConditionFailed, indexed, pageOf, rangeAfter } from './pages.js';
import type { Table } from './table.js';

/*
 * Items, keyed as on DynamoDB (dynamo-app-store.ts):
 *   APP#<id> / #APP          the app (the `apps` index lists them by id)
 *   KEYS#<appId> / <keyId>   a key as the API lists it, with its hash
 *   KEY#<sha256> / #KEY      the lookup of a presented key
 */
const appItem = (app: App) => ({ pk: `APP#${app.id}`, sk: '#APP', ...app });
const keyItems = (key: ApiKey, hash: string) => [
  { pk: `KEYS#${key.appId}`, sk: key.id, ...key, hash },
  { pk: `KEY#${hash}`, sk: '#KEY', ...key },
];

/** Apps in the embedded store: creating one writes the app (if its id is free), its first key and its default notifier. */
export class EmbeddedAppStore implements AppStore {
  constructor(private readonly table: Table) {}

  async create(app: App, key: ApiKey, keyHash: string, defaultNotifier: Notifier): Promise<boolean> {
    if (this.table.get(`APP#${app.id}`, '#APP')) return false;
    for (const item of [appItem(app), ...keyItems(key, keyHash), notifierItem(defaultNotifier)]) put(this.table, item);
    return true;
  }

  async get(appId: string): Promise<App | undefined> {
    const item = this.table.get(`APP#${appId}`, '#APP');
    return item ? fromItem<App>({ ...item }) : undefined;
  }

  async list(page: PageRequest): Promise<Page<App>> {
    return pageOf<App>(indexed(this.table.queryIndex('apps', 'APPS', rangeAfter(page))), page.limit);
  }

  async update(app: App): Promise<void> {
    if (!this.table.get(`APP#${app.id}`, '#APP')) throw new ConditionFailed(`no app ${app.id}`);
    put(this.table, appItem(app));
  }

  async delete(appId: string): Promise<void> {
    const doomed: [string, string][] = [];
    for (const [sk] of this.table.query(`APP#${appId}`)) doomed.push([`APP#${appId}`, sk]);
    for (const [sk, key] of this.table.query(`KEYS#${appId}`)) doomed.push([`KEYS#${appId}`, sk], [`KEY#${String(key['hash'])}`, '#KEY']);
    for (const [pk, sk] of doomed) this.table.delete(pk, sk);
  }
}

/** Ingest keys in the embedded store, found by the SHA-256 of the presented key. */
export class EmbeddedKeyStore implements KeyStore {
  constructor(private readonly table: Table) {}

  async add(key: ApiKey, keyHash: string): Promise<void> {
    for (const item of keyItems(key, keyHash)) put(this.table, item);
  }

  async findByHash(keyHash: string): Promise<ApiKey | undefined> {
    const item = this.table.get(`KEY#${keyHash}`, '#KEY');
    return item ? fromItem<ApiKey>({ ...item }) : undefined;
  }

  async list(appId: string): Promise<ApiKey[]> {
    return [...this.table.query(`KEYS#${appId}`)].map(([, item]) => {
      const { hash: _hash, ...key } = fromItem<ApiKey & { hash: string }>({ ...item });
      return key;
    });
  }

  async revoke(appId: string, keyId: string, at: string): Promise<boolean> {
    const listed = this.table.get(`KEYS#${appId}`, keyId);
    if (!listed) return false;
    const lookupKey = `KEY#${String(listed['hash'])}`;
    const lookup = this.table.get(lookupKey, '#KEY');
    this.table.put(`KEYS#${appId}`, keyId, { ...listed, revokedAt: listed['revokedAt'] ?? at });
    if (lookup) this.table.put(lookupKey, '#KEY', { ...lookup, revokedAt: lookup['revokedAt'] ?? at });
    return true;
  }
}

/** Puts an item that carries its own keys. */
export const put = (table: Table, item: { pk: string; sk: string } & Record<string, unknown>): void => table.put(item.pk, item.sk, item);
