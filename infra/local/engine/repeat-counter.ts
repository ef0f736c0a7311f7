import type { RepeatCounter } from '../../../shared/core/ports.js';
import type { Table } from './table.js';

/*
 * Items:  CNT#<scope> / <key>   { count, windowStart, expiresAt }
 */
export class EmbeddedRepeatCounter implements RepeatCounter {
  constructor(private readonly table: Table) {}

  async count(scope: string, key: string, windowSeconds: number, now: Date): Promise<number> {
    const pk = `CNT#${scope}`;
    const item = this.table.get(pk, key);
    const cutoff = new Date(now.getTime() - windowSeconds * 1000).toISOString();
    // The window is open: one more; else this is the first of a new one.
    const next =
      item && String(item['windowStart']) > cutoff
        ? { ...item, count: Number(item['count']) + 1 }
        : { pk, sk: key, count: 1, windowStart: now.toISOString(), expiresAt: Math.ceil(now.getTime() / 1000) + windowSeconds + 3600 };
    this.table.put(pk, key, next);
    return next.count;
  }
}
