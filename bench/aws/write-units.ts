/**
 * What one DynamoDB write costs in write units, index writes included, by AWS's rules
 * (DynamoDB developer guide: "Item sizes and formats", "Provisioned throughput
 * considerations for global secondary indexes"). dynalite reports the table's units only;
 * the bench reads the item before and after each write and asks this module the rest:
 *
 * - the table: one unit per started KB of the larger of the old and the new item (at least
 *   one, a failed conditional write included: it leaves the item as it was and still pays);
 * - each global secondary index: a put when the item enters it, a delete when it leaves, both
 *   when its index key changes, an update when a projected attribute changes; each one unit
 *   per started KB of the index entry (its projected attributes, the table's and the index's
 *   keys, and 100 bytes of overhead).
 */

/** A DynamoDB attribute value as it travels (the low-level, marshalled form). */
export type AttributeValue = {
  S?: string;
  N?: string;
  B?: Uint8Array | string;
  BOOL?: boolean;
  NULL?: boolean;
  L?: AttributeValue[];
  M?: Record<string, AttributeValue>;
  SS?: string[];
  NS?: string[];
  BS?: (Uint8Array | string)[];
};
export type Item = Record<string, AttributeValue>;

export type Projection = { type: 'ALL' } | { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: readonly string[] };

export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey?: string;
  projection: Projection;
}

export interface TableDefinition {
  partitionKey: string;
  sortKey?: string;
  indexes: IndexDefinition[];
}

/** The per-entry overhead DynamoDB adds to an item in an index (and to each item's storage). */
export const ENTRY_OVERHEAD_BYTES = 100;
const KB = 1024;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
const binaryLength = (b: Uint8Array | string) => (typeof b === 'string' ? Buffer.from(b, 'base64').length : b.length);

/** A number's size: one byte per two significant digits, plus one (leading and trailing zeros do not count). */
function numberSize(n: string): number {
  const digits = n.replace(/^[-+]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** The size of one value (names not included): strings and binaries their bytes; lists and maps 3 bytes, and 1 per element. */
export function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return binaryLength(v.B);
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.L) return 3 + v.L.reduce((sum, e) => sum + 1 + valueSize(e), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((sum, [k, e]) => sum + 1 + utf8(k) + valueSize(e), 0);
  if (v.SS) return v.SS.reduce((sum, s) => sum + utf8(s), 0);
  if (v.NS) return v.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (v.BS) return v.BS.reduce((sum, b) => sum + binaryLength(b), 0);
  throw new Error(`not a DynamoDB attribute value: ${JSON.stringify(v)}`);
}

/** An item's size: each attribute's name in bytes and its value. */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, v]) => sum + utf8(name) + valueSize(v), 0);
}

/** The item's entry in the index, or undefined when it is not in it (a sparse index: a key attribute missing). */
export function indexEntry(table: TableDefinition, index: IndexDefinition, item: Item | undefined): Item | undefined {
  if (!item || item[index.partitionKey] === undefined) return undefined;
  if (index.sortKey && item[index.sortKey] === undefined) return undefined;
  if (index.projection.type === 'ALL') return item;
  const names = [table.partitionKey, table.sortKey, index.partitionKey, index.sortKey];
  if (index.projection.type === 'INCLUDE') names.push(...index.projection.attributes);
  return Object.fromEntries(names.flatMap((n) => (n !== undefined && item[n] !== undefined ? [[n, item[n]]] : []))) as Item;
}

/** The size an index entry is billed at: its attributes and 100 bytes of overhead. */
export const entrySize = (entry: Item): number => itemSize(entry) + ENTRY_OVERHEAD_BYTES;

const unitsOf = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));

/** Values compare equal whatever the order of a map's keys or a set's members. */
function canonical(v: unknown): string {
  if (v instanceof Uint8Array) return `b:${Buffer.from(v).toString('base64')}`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, e]) => `${JSON.stringify(k)}:${['SS', 'NS', 'BS'].includes(k) && Array.isArray(e) ? canonical([...(e as unknown[])].map(canonical).sort()) : canonical(e)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
export const sameValue = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

export type IndexWrite = 'put' | 'delete' | 'update';

export interface WriteCost {
  /** Units the table's write took. */
  table: number;
  /** Units each index took (absent: no write to that index). */
  indexes: Record<string, number>;
  /** The index writes, by kind, for the printout. */
  indexWrites: { index: string; kind: IndexWrite; units: number }[];
  total: number;
}

/**
 * The units of one write of an item, from the item before and after it (undefined: absent).
 * A failed conditional write is a write whose item did not change: it costs the table's
 * units of the item as it is, and no index write.
 */
export function writeCost(table: TableDefinition, before: Item | undefined, after: Item | undefined): WriteCost {
  const larger = Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0);
  const cost: WriteCost = { table: unitsOf(larger), indexes: {}, indexWrites: [], total: 0 };
  for (const index of table.indexes) {
    const old = indexEntry(table, index, before);
    const now = indexEntry(table, index, after);
    const writes: { kind: IndexWrite; units: number }[] = [];
    if (old && !now) writes.push({ kind: 'delete', units: unitsOf(entrySize(old)) });
    else if (!old && now) writes.push({ kind: 'put', units: unitsOf(entrySize(now)) });
    else if (old && now) {
      const keyChanged = [index.partitionKey, index.sortKey].some((k) => k !== undefined && !sameValue(old[k], now[k]));
      if (keyChanged) writes.push({ kind: 'delete', units: unitsOf(entrySize(old)) }, { kind: 'put', units: unitsOf(entrySize(now)) });
      else if (!sameValue(old, now)) writes.push({ kind: 'update', units: unitsOf(Math.max(entrySize(old), entrySize(now))) });
    }
    for (const w of writes) {
      cost.indexes[index.name] = (cost.indexes[index.name] ?? 0) + w.units;
      cost.indexWrites.push({ index: index.name, ...w });
    }
  }
  cost.total = cost.table + Object.values(cost.indexes).reduce((a, b) => a + b, 0);
  return cost;
}

/** What an item and its index entries take in storage: the item, 100 bytes, and each entry. */
export function storedBytes(table: TableDefinition, item: Item): number {
  const entries = table.indexes.map((index) => indexEntry(table, index, item)).filter((e): e is Item => e !== undefined);
  return itemSize(item) + ENTRY_OVERHEAD_BYTES + entries.reduce((sum, e) => sum + entrySize(e), 0);
}

/**
 * The table's definition as the bench needs it, from shared/resources.ts's TABLE: each
 * index's projection read as CDK's addGlobalSecondaryIndex takes it (`projectionType`, and
 * `nonKeyAttributes` for INCLUDE); none is ALL (CDK's default).
 */
export function tableDefinition(table: {
  partitionKey: string;
  sortKey?: string;
  indexes: readonly { name: string; partitionKey: string; sortKey?: string }[];
}): TableDefinition {
  return {
    partitionKey: table.partitionKey,
    ...(table.sortKey ? { sortKey: table.sortKey } : {}),
    indexes: table.indexes.map((index) => ({
      name: index.name,
      partitionKey: index.partitionKey,
      ...(index.sortKey ? { sortKey: index.sortKey } : {}),
      projection: projectionOf(index as unknown as Record<string, unknown>),
    })),
  };
}

function projectionOf(index: Record<string, unknown>): Projection {
  const type = index['projectionType'] ?? 'ALL';
  const attributes = index['nonKeyAttributes'];
  if (type === 'ALL' || type === 'KEYS_ONLY') return { type };
  if (type === 'INCLUDE' && Array.isArray(attributes)) return { type, attributes: attributes as string[] };
  throw new Error(`the bench cannot read index ${String(index['name'])}'s projection: ${JSON.stringify(type)}`);
}
