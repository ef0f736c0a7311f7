import type { HeartbeatStore } from '../../../shared/core/ports.js';
import type { Server } from '../../../shared/core/types.js';
import { fromItem } from '../../../shared/aws/dynamo-table.js';
import { serverKey, serversPk } from '../../../shared/aws/item-keys.js';
import type { Item, Table } from './table.js';

/*
 * Items:  HB#<appId> / <server>   a server and its last heartbeat (item-keys.ts; the `online` index lists
 *                                 the online ones by when last heard from)
 */
const serverOf = (item: Item): Server => fromItem<Server>({ ...item });

/** Heartbeats in the embedded store. */
export class EmbeddedHeartbeatStore implements HeartbeatStore {
  constructor(private readonly table: Table) {}

  async beat(appId: string, server: string, at: Date): Promise<Server | undefined> {
    const now = at.toISOString();
    const { pk, sk } = serverKey(appId, server);
    const before = this.table.get(pk, sk);
    // Back from offline (or new): online since now.
    const since = before && before['state'] !== 'offline' ? before['since'] : now;
    this.table.put(pk, sk, {
      ...before,
      pk,
      sk,
      appId,
      server,
      lastSeenAt: now,
      state: 'online',
      since,
    });
    return before ? serverOf(before) : undefined;
  }

  async silentSince(before: Date, limit: number): Promise<Server[]> {
    const servers: Server[] = [];
    for (const { item } of this.table.queryIndex('online', 'HB_ONLINE', { below: before.toISOString() })) {
      if (servers.length === limit) break;
      servers.push(serverOf(item));
    }
    return servers;
  }

  async markOffline(server: Server, at: Date): Promise<boolean> {
    const { pk, sk } = serverKey(server.appId, server.server);
    const item = this.table.get(pk, sk);
    if (!item || item['state'] !== 'online' || item['lastSeenAt'] !== server.lastSeenAt) return false;
    this.table.put(pk, sk, { ...item, state: 'offline', since: at.toISOString() });
    return true;
  }

  async forget(server: Server): Promise<boolean> {
    const { pk, sk } = serverKey(server.appId, server.server);
    const item = this.table.get(pk, sk);
    if (!item || item['lastSeenAt'] !== server.lastSeenAt) return false;
    this.table.delete(pk, sk);
    return true;
  }

  async list(appId: string): Promise<Server[]> {
    return [...this.table.query(serversPk(appId))].map(([, item]) => serverOf(item));
  }
}
