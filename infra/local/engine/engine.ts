import { familyOf, type ChannelName } from '../../../shared/core/types.js';
import { deliveryIdOf } from '../../../shared/ids.js';
import { DELIVERY, VISIBILITY_TIMEOUT_SECONDS } from '../../../shared/resources.js';
import { expired, type StoredDelivery } from '../../../shared/aws/event-records.js';
import { Journal, type Entry } from './journal.js';
import { EmbeddedQueues, type QueueChange } from './queue.js';
import { Table, type IndexOf, type TableChange } from './table.js';

/*
 * The embedded store's items, keyed as on DynamoDB (shared/aws/), so that what an earlier
 * version stored there moves here as it is:
 *   APP#<id> / #APP                  an app
 *   APP#<appId> / NTF#<id>           a notifier (global ones under APP#*)
 *   KEYS#<appId> / <keyId>           a key as listed, with its hash; KEY#<hash> / #KEY its lookup
 *   EVT#<appId> / <eventId>          an event's record with its deliveries (event-records.ts),
 *                                    one partition per app: memory has no hot partition
 *   EVP#<appId> / <eventId>#<n>      a part of it, for an event with many deliveries
 *   IDEM#<appId>#<key> / #IDEM       an idempotency key's claim
 *   PEND / <deliveryId>              a delivery no queue holds {appId, eventId, at}
 *   HB#<appId> / <server>            a server's heartbeats
 *   CNT#<scope> / <key>              a repeat count;  STATE#<appId> / <key>  a known state
 *   INC#<appId> / <hash>             an incident's newest update
 * The markers DynamoDB keeps beside the records (failed and dead deliveries, dead
 * letters) are indexes here, derived from the records, as are DynamoDB's GSIs.
 */

/** Each delivery of a record that `keep` picks, as an index entry. */
const deliveriesWhere =
  (keep: (d: StoredDelivery) => boolean, entry: (appId: string, d: StoredDelivery, id: string) => [string, string]): IndexOf =>
  (pk, sk, item) => {
    // Records (EVT#<appId>) and their parts (EVP#<appId>, sort key <eventId>#<n>).
    if (!pk.startsWith('EVT#') && !pk.startsWith('EVP#')) return [];
    const eventId = sk.split('#')[0] as string;
    const out: [string, string][] = [];
    for (const name in item) {
      if (!name.startsWith('d_')) continue;
      const d = item[name] as StoredDelivery;
      if (keep(d)) out.push(entry(pk.slice(4), d, deliveryIdOf(eventId, name.slice(2))));
    }
    return out;
  };

export const INDEXES: Record<string, IndexOf> = {
  /** Apps by id. */
  apps: (pk, sk) => (pk.startsWith('APP#') && sk === '#APP' ? [['APPS', pk.slice(4)]] : []),
  /** Notifiers whose deliveries fail, by since when. */
  failing: (pk, sk, item) =>
    pk.startsWith('APP#') && sk.startsWith('NTF#') && item['failingSince']
      ? [['FAILING', `${String(item['failingSince'])}#${sk.slice(4)}`]]
      : [],
  /** Online servers, by when last heard from. */
  online: (pk, sk, item) =>
    pk.startsWith('HB#') && item['state'] === 'online' ? [['HB_ONLINE', `${String(item['lastSeenAt'])}#${pk.slice(3)}#${sk}`]] : [],
  /** An app's failed and dead deliveries, by id. */
  attention: deliveriesWhere(
    (d) => d.s === 'failed' || d.s === 'dead',
    (appId, _d, id) => [`ATTN#${appId}`, id],
  ),
  /** A family's dead deliveries (its dead letters), by id. */
  dead: deliveriesWhere(
    (d) => d.s === 'dead',
    (_appId, d, id) => [`DEAD#${familyOf(d.c as ChannelName)}`, id],
  ),
  /** Deliveries no queue holds, by when the sweeper should queue them. */
  pending: (pk, sk, item) => (pk === 'PEND' ? [['PEND', `${String(item['at'])}#${sk}`]] : []),
  /** Items with a retention, by when it ends (DynamoDB's TTL attribute): what deleteExpired takes, without reading the rest. */
  expiry: (pk, sk, item) =>
    typeof item['expiresAt'] === 'number' ? [['EXPIRY', `${expiryKey(item['expiresAt'])}\u0000${pk}\u0000${sk}`]] : [],
};

/** Unix seconds as a key that sorts as the number does. */
const expiryKey = (seconds: number) => String(Math.floor(seconds)).padStart(12, '0');

/** Past this size, and twice the size of the last snapshot, the journal is compacted. */
const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

/**
 * Local mode's store and queues, in one process: items and messages in memory, every
 * change in a journal on the disk (journal.ts), written by group commit and on the disk
 * before any answer that depends on it leaves (`durable()`), compacted into a snapshot as
 * it grows. `Engine.open()` without a directory keeps nothing on disk (tests, fakes).
 */
export class Engine {
  private compacting: Promise<void> | undefined;
  private snapshotBytes = 0;

  private constructor(
    readonly table: Table,
    readonly queues: EmbeddedQueues,
    private readonly journal: Journal | undefined,
  ) {}

  static async open(options: { dir?: string; now?: () => number } = {}): Promise<Engine> {
    const table = new Table(INDEXES);
    const queues = new EmbeddedQueues(
      { visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS, maxReceiveCount: DELIVERY.maxReceiveCount },
      options.now,
    );
    if (!options.dir) return new Engine(table, queues, undefined);
    const journal = await Journal.open(options.dir, (entry) => {
      if (entry[0] === 'p' || entry[0] === 'd') table.apply(entry as TableChange);
      else queues.apply(entry as QueueChange);
    });
    const engine = new Engine(table, queues, journal);
    table.keepWith((change) => engine.keep(change));
    queues.keepWith((change) => engine.keep(change));
    return engine;
  }

  /** Resolves once every change made so far is on the disk (at once without a disk). */
  durable(): Promise<void> {
    return this.journal?.durable() ?? Promise.resolve();
  }

  /** Everything written so far is on the disk, and no compaction is under way. */
  async settled(): Promise<void> {
    await this.journal?.settled();
    await this.compacting;
  }

  async close(): Promise<void> {
    await this.settled();
    await this.journal?.close();
  }

  /** Writes a snapshot of everything now and drops the journal it replaces. */
  compact(): Promise<void> {
    const journal = this.journal;
    if (!journal) return Promise.resolve();
    this.compacting ??= journal
      .compact((): Entry[] => [...this.table.entries(), ...this.queues.entries()])
      .then((bytes) => {
        this.snapshotBytes = bytes;
      })
      .finally(() => {
        this.compacting = undefined;
      });
    return this.compacting;
  }

  /** Removes the items whose retention has ended (`expiresAt`, unix seconds), as DynamoDB's TTL does. */
  deleteExpired(now: Date): number {
    const ended: [string, string][] = [];
    for (const { pk, sk, item } of this.table.queryIndex('expiry', 'EXPIRY', { below: expiryKey(now.getTime() / 1000 + 1) }))
      if (expired(item, now)) ended.push([pk, sk]);
    for (const [pk, sk] of ended) this.table.delete(pk, sk);
    return ended.length;
  }

  /**
   * Journals a change. A change is made in memory at once and written with the next group
   * commit; what must be on the disk before an answer leaves waits for `durable()` (local
   * mode's gateway does, for every API answer), not each write: a request's few changes
   * then cost it one wait for the disk, not one each.
   */
  private keep(change: TableChange | QueueChange): void {
    const journal = this.journal as Journal;
    // A failed write breaks the journal: durable() rejects from then on, and says why.
    journal.append(change);
    if (journal.bytes > COMPACT_AFTER_BYTES && journal.bytes > 2 * this.snapshotBytes && !this.compacting) void this.compact();
  }
}
