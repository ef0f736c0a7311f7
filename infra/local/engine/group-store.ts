import type { GroupNotice } from '../../../shared/core/grouping.js';
import type { GroupJoin, GroupOpen, GroupStore, StoredGroup } from '../../../shared/core/ports.js';
import { storedGroupOf } from '../../../shared/aws/dynamo-group-store.js';
import { groupItemKey } from '../../../shared/aws/item-keys.js';
import type { Table } from './table.js';

/** Groups in the embedded store, keyed and written as on DynamoDB (GRP#<notifierId> / <hash>: dynamo-group-store.ts). */
export class EmbeddedGroupStore implements GroupStore {
  constructor(private readonly table: Table) {}

  async get(key: string): Promise<StoredGroup | undefined> {
    const { pk, sk } = groupItemKey(key);
    const item = this.table.get(pk, sk);
    return item ? storedGroupOf({ ...item }, key) : undefined;
  }

  async join(join: GroupJoin): Promise<StoredGroup | undefined> {
    const { pk, sk } = groupItemKey(join.key);
    const before = this.table.get(pk, sk) ?? {};
    if (before['seq'] !== undefined && before['seq'] !== join.seq) return undefined;
    const after: Record<string, unknown> = {
      ...before,
      pk,
      sk,
      appId: join.appId,
      notifierId: join.notifierId,
      by: before['by'] ?? join.by,
      seq: before['seq'] ?? join.seq,
      seqStartedAt: before['seqStartedAt'] ?? join.startedAt,
      flushAt: before['flushAt'] ?? join.flushAt,
      expiresAt: join.expiresAt,
      count: Number(before['count'] ?? 0) + 1,
      [`t_${join.countAs}`]: Number(before[`t_${join.countAs}`] ?? 0) + 1,
      ...(join.list ? { items: [...((before['items'] as unknown[]) ?? []), join.member] } : {}),
    };
    if (join.memberKey) {
      if (join.member.status === 'firing') after[`f_${join.memberKey}`] = join.member;
      else delete after[`f_${join.memberKey}`];
    }
    this.table.put(pk, sk, after);
    return storedGroupOf(after, join.key);
  }

  async open(open: GroupOpen): Promise<boolean> {
    const { pk, sk } = groupItemKey(open.key);
    const before = this.table.get(pk, sk) ?? {};
    if ((before['seq'] !== undefined && before['seq'] !== open.seq) || before['flushAt'] !== undefined) return false;
    this.table.put(pk, sk, {
      ...before,
      pk,
      sk,
      appId: open.appId,
      notifierId: open.notifierId,
      by: before['by'] ?? open.by,
      seq: before['seq'] ?? open.seq,
      seqStartedAt: open.startedAt,
      flushAt: open.flushAt,
      expiresAt: open.expiresAt,
      count: before['count'] ?? 0,
    });
    return true;
  }

  async hasten(key: string, seq: number, flushAt: string): Promise<boolean> {
    const { pk, sk } = groupItemKey(key);
    const item = this.table.get(pk, sk);
    if (!item || item['seq'] !== seq || (typeof item['flushAt'] === 'string' && item['flushAt'] <= flushAt)) return false;
    this.table.put(pk, sk, { ...item, flushAt });
    return true;
  }

  async take(key: string, notice: GroupNotice, now: Date, repeatAt: Date | undefined, expiresAt: number): Promise<boolean> {
    const { seq } = notice;
    const { pk, sk } = groupItemKey(key);
    const item = this.table.get(pk, sk);
    if (!item || item['seq'] !== seq || Number(item['count'] ?? 0) !== notice.count) return false;
    const { items: _items, flushAt: _flushAt, seqStartedAt: _started, ...kept } = item;
    const rest = Object.fromEntries(Object.entries(kept).filter(([name]) => !name.startsWith('t_')));
    this.table.put(pk, sk, {
      ...rest,
      seq: seq + 1,
      lastSentAt: now.toISOString(),
      sent: notice,
      count: 0,
      expiresAt,
      ...(repeatAt ? { flushAt: repeatAt.toISOString(), seqStartedAt: now.getTime() } : {}),
    });
    return true;
  }
}
