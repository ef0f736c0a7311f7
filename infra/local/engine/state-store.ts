import type { KnownState, StateStore } from '../../../shared/core/ports.js';
import { knownStateOf, stateSortKey } from '../../../shared/aws/dynamo-state-store.js';
import type { Table } from './table.js';

/*
 * Items:  STATE#<appId> / <key>   { status, since, notified, incident, groups }
 */
export class EmbeddedStateStore implements StateStore {
  constructor(private readonly table: Table) {}

  async change(
    appId: string,
    key: string,
    status: string,
    now: Date,
    incident?: string | null,
  ): Promise<{ changed: boolean; previous?: KnownState }> {
    const [pk, sk] = [`STATE#${appId}`, stateSortKey(key)];
    const old = this.table.get(pk, sk);
    if (old?.['status'] === status) return { changed: false };
    const kept = incident === null ? undefined : incident === undefined ? old?.['incident'] : (old?.['incident'] ?? incident);
    // Who was told, and the groups joined, last the whole failure (from one failing status to the next): a recovery ends them.
    const told = incident && old ? { notified: old['notified'], groups: old['groups'] } : {};
    this.table.put(pk, sk, {
      pk,
      sk,
      status,
      since: now.toISOString(),
      ...Object.fromEntries(Object.entries(told).filter(([, v]) => v !== undefined)),
      ...(kept ? { incident: kept } : {}),
    });
    return old ? { changed: true, previous: knownStateOf(old) } : { changed: true };
  }

  async noteNotified(appId: string, key: string, notifierIds: string[], groups?: Record<string, string>): Promise<void> {
    const [pk, sk] = [`STATE#${appId}`, stateSortKey(key)];
    this.table.put(pk, sk, { ...this.table.get(pk, sk), pk, sk, notified: notifierIds, ...(groups ? { groups } : {}) });
  }
}
