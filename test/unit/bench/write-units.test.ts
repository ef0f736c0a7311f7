import { describe, expect, it } from 'vitest';
import {
  itemSize,
  sameValue,
  storedBytes,
  tableDefinition,
  valueSize,
  writeCost,
  type Item,
  type TableDefinition,
} from '../../../bench/aws/write-units.js';
import { TABLE } from '../../../shared/resources.js';

/** A table like Herald's: pk/sk, and two indexes whose projection each case picks. */
const table = (gsi1: TableDefinition['indexes'][number]['projection'], gsi2 = gsi1): TableDefinition => ({
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: gsi1 },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: gsi2 },
  ],
});
const ALL = table({ type: 'ALL' });
const KEYS = table({ type: 'KEYS_ONLY' });

/** A delivery-like item: `pad` makes it as large as a case needs. */
const item = (extra: Record<string, string>, pad = 0): Item => ({
  pk: { S: 'DLV#shop' },
  sk: { S: 'dlv_1' },
  ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { S: v }])),
  ...(pad ? { body: { S: 'x'.repeat(pad) } } : {}),
});

describe('item sizes, by the developer guide', () => {
  it('counts names and strings in UTF-8 bytes', () => {
    // "pk" 2 + "DLV#shop" 8; "name" 4 + "café" 5 bytes
    expect(itemSize({ pk: { S: 'DLV#shop' }, name: { S: 'café' } })).toBe(19);
  });

  it('counts a number one byte per two significant digits, plus one', () => {
    expect(valueSize({ N: '7' })).toBe(2);
    expect(valueSize({ N: '1234' })).toBe(3);
    expect(valueSize({ N: '12345' })).toBe(4);
    expect(valueSize({ N: '-1200.0500' })).toBe(4); // 120005: zeros at either end do not count
  });

  it('gives a list or a map 3 bytes, and 1 more per element', () => {
    expect(valueSize({ L: [] })).toBe(3);
    expect(valueSize({ L: [{ S: 'ab' }, { BOOL: true }] })).toBe(3 + (1 + 2) + (1 + 1));
    expect(valueSize({ M: { to: { S: 'ab' } } })).toBe(3 + 1 + 2 + 2);
    expect(valueSize({ SS: ['a', 'bc'] })).toBe(3);
  });
});

describe('write units of one write', () => {
  it('a new item in both indexes: the table, and a put in each index', () => {
    const created = item({ gsi1pk: 'DLVEVT#evt_1', gsi1sk: 'dlv_1', gsi2pk: 'PENDING#3', gsi2sk: '2026-01-01T00:00:00Z#dlv_1' });
    const cost = writeCost(ALL, undefined, created);
    expect(cost.table).toBe(1);
    expect(cost.indexWrites).toEqual([
      { index: 'gsi1', kind: 'put', units: 1 },
      { index: 'gsi2', kind: 'put', units: 1 },
    ]);
    expect(cost.total).toBe(3);
  });

  it('pays a started KB of the larger of the old and the new item, and of each index entry with its 100 bytes', () => {
    const small = item({ gsi1pk: 'A', gsi1sk: 'B' });
    const under = 1024 - itemSize(small) - 'body'.length; // the new item: exactly 1024 bytes
    const exact = item({ gsi1pk: 'A', gsi1sk: 'B' }, under);
    expect(itemSize(exact)).toBe(1024);
    const cost = writeCost(ALL, small, exact);
    expect(cost.table).toBe(1);
    // the index entry is 1024 + 100 bytes: two units
    expect(cost.indexWrites).toEqual([{ index: 'gsi1', kind: 'update', units: 2 }]);
    // shrinking back costs the larger (old) size
    expect(writeCost(ALL, item({ gsi1pk: 'A', gsi1sk: 'B' }, under + 1), small).table).toBe(2);
  });

  it('a changed index key is a delete and a put in that index', () => {
    const before = item({ status: 'queued', gsi2pk: 'PENDING#3', gsi2sk: '2026-01-01T00:01:00Z#dlv_1' });
    const after = item({ status: 'sending', gsi2pk: 'PENDING#3', gsi2sk: '2026-01-01T00:02:00Z#dlv_1' });
    expect(writeCost(KEYS, before, after).indexWrites).toEqual([
      { index: 'gsi2', kind: 'delete', units: 1 },
      { index: 'gsi2', kind: 'put', units: 1 },
    ]);
  });

  it('leaving a sparse index is a delete; an attribute no index projects costs no index write', () => {
    const before = item({ status: 'sending', gsi1pk: 'DLVEVT#evt_1', gsi1sk: 'dlv_1', gsi2pk: 'PENDING#3', gsi2sk: 'x' });
    const after = item({ status: 'sent', gsi1pk: 'DLVEVT#evt_1', gsi1sk: 'dlv_1' });
    // ALL: gsi1's entry changes (status), gsi2's goes
    expect(writeCost(ALL, before, after).indexWrites).toEqual([
      { index: 'gsi1', kind: 'update', units: 1 },
      { index: 'gsi2', kind: 'delete', units: 1 },
    ]);
    // KEYS_ONLY: gsi1's entry is the same keys: no write there
    expect(writeCost(KEYS, before, after).indexWrites).toEqual([{ index: 'gsi2', kind: 'delete', units: 1 }]);
  });

  it('an INCLUDE projection is updated only when one of its attributes changes', () => {
    const projecting = (attributes: string[]) => table({ type: 'INCLUDE', attributes }, { type: 'KEYS_ONLY' });
    const before = item({ status: 'queued', channel: 'webhook', gsi1pk: 'E', gsi1sk: 'd' });
    const after = item({ status: 'sent', channel: 'webhook', gsi1pk: 'E', gsi1sk: 'd' });
    expect(writeCost(projecting(['status']), before, after).indexWrites).toEqual([{ index: 'gsi1', kind: 'update', units: 1 }]);
    expect(writeCost(projecting(['channel']), before, after).indexWrites).toEqual([]);
  });

  it('a failed conditional write leaves the item as it was: the table still pays for it, no index does', () => {
    const big = item({ gsi1pk: 'E', gsi1sk: 'd' }, 2500);
    const cost = writeCost(ALL, big, big);
    expect(cost).toEqual({ table: 3, indexes: {}, indexWrites: [], total: 3 });
  });

  it('deleting an item that is not there still costs a unit', () => {
    expect(writeCost(ALL, undefined, undefined).total).toBe(1);
  });

  it('a map written in another key order, or a set in another order, is the same value', () => {
    expect(sameValue({ M: { a: { S: '1' }, b: { N: '2' } } }, { M: { b: { N: '2' }, a: { S: '1' } } })).toBe(true);
    expect(sameValue({ SS: ['x', 'y'] }, { SS: ['y', 'x'] })).toBe(true);
    expect(sameValue({ L: [{ S: 'x' }, { S: 'y' }] }, { L: [{ S: 'y' }, { S: 'x' }] })).toBe(false);
  });
});

describe('storage', () => {
  it('is the item with its 100 bytes, and each index entry with its own', () => {
    const stored = item({ gsi1pk: 'E', gsi1sk: 'd' });
    expect(storedBytes(ALL, stored)).toBe(2 * (itemSize(stored) + 100));
    expect(storedBytes(KEYS, stored)).toBe(itemSize(stored) + 100 + itemSize(stored) + 100); // every attribute is a key here
    expect(storedBytes(KEYS, { ...stored, body: { S: 'x'.repeat(500) } })).toBe(itemSize(stored) + 504 + 100 + itemSize(stored) + 100);
  });
});

describe("the table's definition", () => {
  it("reads shared/resources.ts's TABLE (an index without a projection projects ALL, as CDK's default)", () => {
    const definition = tableDefinition(TABLE);
    expect(definition.partitionKey).toBe(TABLE.partitionKey);
    expect(definition.indexes.map((i) => i.name)).toEqual(TABLE.indexes.map((i) => i.name));
  });

  it("reads a projection as CDK's addGlobalSecondaryIndex takes it, and refuses one it cannot read", () => {
    const of = (index: Record<string, unknown>) =>
      tableDefinition({ partitionKey: 'pk', indexes: [{ name: 'i', partitionKey: 'a', ...index }] }).indexes[0]?.projection;
    expect(of({})).toEqual({ type: 'ALL' });
    expect(of({ projectionType: 'ALL' })).toEqual({ type: 'ALL' });
    expect(of({ projectionType: 'KEYS_ONLY' })).toEqual({ type: 'KEYS_ONLY' });
    expect(of({ projectionType: 'INCLUDE', nonKeyAttributes: ['at'] })).toEqual({ type: 'INCLUDE', attributes: ['at'] });
    expect(() => of({ projectionType: 'SOME' })).toThrow(/cannot read index i's projection/);
    expect(() => of({ projectionType: 'INCLUDE' })).toThrow(/cannot read index i's projection/);
  });
});
