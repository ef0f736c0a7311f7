/** A stored item: plain JSON data, never changed in place (a write puts a new one), so that a snapshot may hold it as it is. */
export type Item = Readonly<Record<string, unknown>>;

/** The index entries (partition, sort key) of an item: like a DynamoDB index, kept up to date on every write. */
export type IndexOf = (pk: string, sk: string, item: Item) => [string, string][];

/** A change to keep: the engine journals it (see engine.ts). */
export type TableChange = ['p', string, string, Item] | ['d', string, string];

/** The items of one partition, by sort key, the keys in order. */
class Partition<T> {
  readonly items = new Map<string, T>();
  private keys: string[] = [];

  set(sk: string, value: T): void {
    if (!this.items.has(sk)) {
      // Most keys grow (ULIDs, times): appended; any other is placed by binary search.
      const at = this.keys.length && (this.keys.at(-1) as string) > sk ? lowerBound(this.keys, sk) : this.keys.length;
      this.keys.splice(at, 0, sk);
    }
    this.items.set(sk, value);
  }

  delete(sk: string): void {
    if (!this.items.delete(sk)) return;
    this.keys.splice(lowerBound(this.keys, sk), 1);
  }

  /** Sort keys in [from, below), ascending or descending. */
  *range(range: KeyRange): Generator<[string, T]> {
    const start = range.from !== undefined ? lowerBound(this.keys, range.from) : 0;
    const end = range.below !== undefined ? lowerBound(this.keys, range.below) : this.keys.length;
    if (range.descending) {
      for (let i = end - 1; i >= start; i--) yield [this.keys[i] as string, this.items.get(this.keys[i] as string) as T];
    } else {
      for (let i = start; i < end; i++) yield [this.keys[i] as string, this.items.get(this.keys[i] as string) as T];
    }
  }

  get size(): number {
    return this.items.size;
  }
}

export interface KeyRange {
  /** Sort keys from this one on (included). */
  from?: string;
  /** Sort keys before this one. */
  below?: string;
  descending?: boolean;
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The embedded store's items, in memory: partitions of items sorted by key, as a DynamoDB
 * table has them, and indexes derived from the items. A read is a lookup; a write changes
 * the item at once (so a check and a write made without an `await` between them are one
 * atomic conditional write) and hands the change to `keep` (the journal), which writes it
 * with its next group commit: a write returns nothing to wait for, the engine's
 * `durable()` says when what was written so far is on the disk.
 */
export class Table {
  private readonly partitions = new Map<string, Partition<Item>>();
  private readonly indexes = new Map<string, Map<string, Partition<{ pk: string; sk: string }>>>();

  constructor(
    private readonly indexOf: Record<string, IndexOf> = {},
    private keep: (change: TableChange) => void = () => {},
  ) {
    for (const name of Object.keys(indexOf)) this.indexes.set(name, new Map());
  }

  /** Where changes are kept from now on (the engine's journal, once replayed). */
  keepWith(keep: (change: TableChange) => void): void {
    this.keep = keep;
  }

  get(pk: string, sk: string): Item | undefined {
    return this.partitions.get(pk)?.items.get(sk);
  }

  put(pk: string, sk: string, item: Item): void {
    this.apply(['p', pk, sk, item]);
    this.keep(['p', pk, sk, item]);
  }

  delete(pk: string, sk: string): void {
    if (!this.get(pk, sk)) return;
    this.apply(['d', pk, sk]);
    this.keep(['d', pk, sk]);
  }

  /** A change read back from the journal. */
  apply(change: TableChange): void {
    const [kind, pk, sk] = change;
    const before = this.get(pk, sk);
    let partition = this.partitions.get(pk);
    if (kind === 'p') {
      if (!partition) this.partitions.set(pk, (partition = new Partition()));
      partition.set(sk, change[3]);
      this.reindex(pk, sk, before, change[3]);
    } else if (partition) {
      if (before) this.reindex(pk, sk, before, undefined);
      partition.delete(sk);
      if (partition.size === 0) this.partitions.delete(pk);
    }
  }

  /** A partition's items in key order (or the reverse), within a range. */
  *query(pk: string, range: KeyRange = {}): Generator<[string, Item]> {
    const partition = this.partitions.get(pk);
    if (partition) yield* partition.range(range);
  }

  /** An index's entries in one of its partitions, in key order (or the reverse), with the items they stand for. */
  *queryIndex(name: string, ipk: string, range: KeyRange = {}): Generator<{ key: string; pk: string; sk: string; item: Item }> {
    const partition = this.indexes.get(name)?.get(ipk);
    if (!partition) return;
    for (const [key, at] of partition.range(range)) {
      const item = this.get(at.pk, at.sk);
      if (item) yield { key, ...at, item };
    }
  }

  /** Every item, as the changes that make the store what it is now (a snapshot). */
  *entries(): Generator<['p', string, string, Item]> {
    for (const [pk, partition] of this.partitions) for (const [sk, item] of partition.items) yield ['p', pk, sk, item];
  }

  /**
   * Moves an item's index entries from what `before` gave to what `after` gives, touching only
   * those that changed: most writes (a claim, an outcome) leave an item's entries as they were,
   * and taking an entry out of a large index partition and putting it back costs two splices.
   */
  private reindex(pk: string, sk: string, before: Item | undefined, after: Item | undefined): void {
    for (const [name, of] of Object.entries(this.indexOf)) {
      const index = this.indexes.get(name) as Map<string, Partition<{ pk: string; sk: string }>>;
      const old = before ? of(pk, sk, before) : [];
      const now = after ? of(pk, sk, after) : [];
      if (old.length === 0 && now.length === 0) continue;
      // The new entries, less those the item had already (left where they are).
      const added = new Set(now.map(([ipk, isk]) => `${ipk}\u0000${isk}`));
      for (const [ipk, isk] of old) {
        if (added.delete(`${ipk}\u0000${isk}`)) continue;
        const partition = index.get(ipk);
        partition?.delete(isk);
        if (partition?.size === 0) index.delete(ipk);
      }
      for (const [ipk, isk] of now) {
        if (!added.has(`${ipk}\u0000${isk}`)) continue;
        let partition = index.get(ipk);
        if (!partition) index.set(ipk, (partition = new Partition()));
        partition.set(isk, { pk, sk });
      }
    }
  }
}
