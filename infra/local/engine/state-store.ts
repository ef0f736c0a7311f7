import type { KnownState, StateStore } from '../../../shared/core/ports.js';
import { knownStateOf, stateSortKey } from '../../../shared/aws/dynamo-state-store.js';
import type { Table } from './table.js';

/*
 * Items:  STATE#<appId> / <key>   { status, since, notified }
 */
export class EmbeddedStateStore implements StateStore {
  constructor(private readonly table: Table) {}

  async change(appId: string, key: string, status: string, now: Date): Promise<{ changed: boolean; previous?: KnownState }> {
    const [pk, sk] = [`STATE#${appId}`, stateSortKey(key)];
    const old = this.table.get(pk, sk);
    if (old?.['status'] === status) return { changed: false };
    this.table.put(pk, sk, { pk, sk, status, since: now.toISOString() });
    return old ? { changed: true, previous: knownStateOf(old) } : { changed: true };
  }

  async noteNotified(appId: string, key: string, notifierIds: string[]): Promise<void> {
    const [pk, sk] = [`STATE#${appId}`, stateSortKey(key)];
    this.table.put(pk, sk, { ...this.table.get(pk, sk), pk, sk, notified: notifierIds });
  }
}
