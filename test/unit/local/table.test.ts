import { describe, expect, it } from 'vitest';
import { Table } from '../../../infra/local/engine/table.js';

/** An index of items by their `status` and `at`, the way the engine's indexes are derived from items. */
const byStatus = new Table({
  status: (pk, sk, item) => (typeof item['status'] === 'string' ? [[`S#${item['status']}`, `${String(item['at'])}#${pk}#${sk}`]] : []),
});
const keysIn = (status: string) => [...byStatus.queryIndex('status', `S#${status}`)].map((e) => `${e.pk}/${e.sk}`);

describe("the embedded table's indexes", () => {
  it('follow each write of an item: unchanged, moved, dropped and deleted', () => {
    byStatus.put('P', 'a', { status: 'queued', at: 1 });
    byStatus.put('P', 'b', { status: 'queued', at: 2 });
    byStatus.put('P', 'a', { status: 'queued', at: 1, note: 'rewritten, same entry' });
    expect(keysIn('queued')).toEqual(['P/a', 'P/b']);
    expect(byStatus.get('P', 'a')).toMatchObject({ note: 'rewritten, same entry' });

    byStatus.put('P', 'a', { status: 'sent', at: 3 });
    expect(keysIn('queued')).toEqual(['P/b']);
    expect(keysIn('sent')).toEqual(['P/a']);

    byStatus.put('P', 'b', { at: 2 });
    expect(keysIn('queued')).toEqual([]);

    byStatus.delete('P', 'a');
    expect(keysIn('sent')).toEqual([]);
    expect(byStatus.get('P', 'a')).toBeUndefined();
  });
});
