import { LISTED_MEMBERS, type GroupMember } from '../../../shared/core/grouping.js';
import type { PacingStore } from '../../../shared/core/ports.js';
import { coalescedKey, coalesceOpenKey, paceKey, pacingExpiresAt } from '../../../shared/aws/item-keys.js';
import type { Table } from './table.js';

/*
 * Items (item-keys.ts, as on DynamoDB):
 *   PACE#<destination> / #TAT       { tat, expiresAt }
 *   COAL#<key> / #OPEN              { carrier, expiresAt }
 *   COALN#<carrierId> / #NOTE       { items, n, taken?, expiresAt }
 * A read and a write with no `await` between them are one conditional write (table.ts).
 */
export class EmbeddedPacingStore implements PacingStore {
  constructor(private readonly table: Table) {}

  async tatOf(destination: string): Promise<number> {
    const { pk, sk } = paceKey(destination);
    return Number(this.table.get(pk, sk)?.['tat'] ?? 0);
  }

  async moveTat(destination: string, expected: number, next: number): Promise<boolean> {
    const { pk, sk } = paceKey(destination);
    if (Number(this.table.get(pk, sk)?.['tat'] ?? 0) !== expected) return false;
    this.table.put(pk, sk, { pk, sk, tat: next, expiresAt: pacingExpiresAt() });
    return true;
  }

  async openCarrier(key: string): Promise<string | undefined> {
    const { pk, sk } = coalesceOpenKey(key);
    const carrier = this.table.get(pk, sk)?.['carrier'];
    return typeof carrier === 'string' ? carrier : undefined;
  }

  async open(key: string, carrierId: string, previous: string | undefined): Promise<boolean> {
    const { pk, sk } = coalesceOpenKey(key);
    const carrier = this.table.get(pk, sk)?.['carrier'];
    if (carrier !== undefined && carrier !== previous) return false;
    this.table.put(pk, sk, { pk, sk, carrier: carrierId, expiresAt: pacingExpiresAt() });
    const note = coalescedKey(carrierId);
    if (!this.table.get(note.pk, note.sk)) this.table.put(note.pk, note.sk, { ...note, items: [], n: 0, expiresAt: pacingExpiresAt() });
    return true;
  }

  async join(carrierId: string, member: GroupMember): Promise<boolean> {
    const { pk, sk } = coalescedKey(carrierId);
    const note = this.table.get(pk, sk);
    if (!note || note['taken']) return false;
    const items = note['items'] as GroupMember[];
    this.table.put(pk, sk, {
      ...note,
      items: items.length < LISTED_MEMBERS ? [...items, member] : items,
      n: Number(note['n']) + 1,
    });
    return true;
  }

  async take(carrierId: string): Promise<{ items: GroupMember[]; count: number }> {
    const { pk, sk } = coalescedKey(carrierId);
    const note = this.table.get(pk, sk);
    if (!note) return { items: [], count: 0 };
    this.table.put(pk, sk, { ...note, taken: true });
    return { items: note['items'] as GroupMember[], count: Number(note['n']) };
  }
}
