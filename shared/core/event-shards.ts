/**
 * Where an app's event records are kept: spread over `count` partitions when the app posts
 * more than one partition takes (DynamoDB allows about 1,000 writes a second on a
 * partition key, and an event's record is written about three times: ingest, claim,
 * outcome). Small apps have one; an app allowed 600,000 events a minute has 128. A change
 * of count applies to events from a time on (`since`), so that an event's record is always
 * found from its id, whose ULID says when it was made.
 */

export interface ShardEra {
  /** From when (ISO time) events use this count. */
  since: string;
  count: number;
}

/** The writes a second one partition key should take at most: well within DynamoDB's 1,000. */
export const WRITES_PER_SHARD = 300;
/** Writes of an event's record: ingest, one claim and one outcome per family queue message. */
export const RECORD_WRITES_PER_EVENT = 3;

/** How long a function instance keeps an app's eras (RecordKeys) before reading them again. */
export const ERAS_CACHE_MS = 60_000;

/**
 * How long after it is set a new count starts: two caches' length, so that an instance that
 * read the eras just before the change (its cache not renewed yet, its clock a little ahead,
 * a read in flight) never makes an event past the start while it still holds the old count.
 */
export const ERA_LEAD_MS = 2 * ERAS_CACHE_MS;

/** How many partitions an app allowed this many events a minute needs: a power of two. */
export function shardsFor(eventsPerMinute: number): number {
  const needed = Math.ceil(((eventsPerMinute / 60) * RECORD_WRITES_PER_EVENT) / WRITES_PER_SHARD);
  return 2 ** Math.ceil(Math.log2(Math.max(1, needed)));
}

/** The count in effect at `time` (epoch ms). */
export function shardCountAt(eras: readonly ShardEra[] | undefined, time: number): number {
  let count = 1;
  for (const era of eras ?? []) if (Date.parse(era.since) <= time) count = era.count;
  return count;
}

/** The eras after a change of the app's events-per-minute limit: a new count applies ERA_LEAD_MS on. */
export function erasAfter(eras: readonly ShardEra[] | undefined, eventsPerMinute: number, now: Date): ShardEra[] | undefined {
  const count = shardsFor(eventsPerMinute);
  const since = now.getTime() + ERA_LEAD_MS;
  if (count === shardCountAt(eras, since)) return eras ? [...eras] : undefined;
  return [...(eras ?? []), { since: new Date(since).toISOString(), count }];
}

/** The partition of one event among `count` (FNV-1a of its id). */
export function shardOf(eventId: string, count: number): number {
  if (count <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < eventId.length; i++) {
    hash ^= eventId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}
