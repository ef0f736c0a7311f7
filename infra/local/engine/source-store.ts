import { fromItem } from '../../../shared/aws/dynamo-table.js';
import { listedSource, listedSourcesPk, sourceKey } from '../../../shared/aws/item-keys.js';
import type { SourceStore, StoredSource } from '../../../shared/core/ports.js';
import { listedCopy } from '../../../shared/aws/dynamo-source-store.js';
import { put } from './app-store.js';
import type { Table } from './table.js';

/** Inbound sources in the embedded store, keyed as on DynamoDB: listed under their app, found by id. */
export class EmbeddedSourceStore implements SourceStore {
  constructor(private readonly table: Table) {}

  async put(source: StoredSource): Promise<void> {
    put(this.table, { ...listedSource(source.appId, source.id), ...listedCopy(source) });
    put(this.table, { ...sourceKey(source.id), ...source });
  }

  async get(sourceId: string): Promise<StoredSource | undefined> {
    const key = sourceKey(sourceId);
    const item = this.table.get(key.pk, key.sk);
    return item ? fromItem<StoredSource>({ ...item }) : undefined;
  }

  async list(appId: string): Promise<StoredSource[]> {
    return [...this.table.query(listedSourcesPk(appId))].map(([, item]) => fromItem<StoredSource>({ ...item }));
  }

  async replaceSecret(read: StoredSource, rotated: StoredSource): Promise<boolean> {
    const now = await this.get(read.id);
    if (!now || JSON.stringify(now.secret ?? null) !== JSON.stringify(read.secret ?? null)) return false;
    await this.put(rotated);
    return true;
  }

  async delete(appId: string, sourceId: string): Promise<boolean> {
    const found = await this.get(sourceId);
    if (!found || found.appId !== appId) return false;
    for (const key of [listedSource(appId, sourceId), sourceKey(sourceId)]) this.table.delete(key.pk, key.sk);
    return true;
  }
}
