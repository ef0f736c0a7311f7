import type { Page, PageRequest } from '../../../shared/core/ports.js';
import { decodeCursor, encodeCursor, fromItem, invalidCursor } from '../../../shared/aws/dynamo-table.js';
import type { Item, KeyRange } from './table.js';

/*
 * Pages of the embedded store's lists. A cursor is the key of the last entry given,
 * encoded as on DynamoDB (dynamo-table.ts), so a cursor from elsewhere is refused the same
 * way (400, `cursor`).
 */

/** Where the page after `cursor` starts: just past the key it names. */
export function rangeAfter(page: PageRequest, range: KeyRange = {}): KeyRange {
  if (!page.cursor) return range;
  const { sk } = decodeCursor(page.cursor) as { sk?: unknown };
  if (typeof sk !== 'string') throw invalidCursor();
  // The smallest key after `sk` ('\0' sorts first); descending lists end below it instead.
  return range.descending ? { ...range, below: sk } : { ...range, from: `${sk}\u0000` };
}

/** Up to `limit` of `entries` (key, item), and a cursor when more follow. */
export function pageOf<T>(
  entries: Iterable<[string, Item]>,
  limit: number,
  map: (item: Item) => T = (i) => fromItem<T>({ ...i }),
): Page<T> {
  const items: T[] = [];
  let last: string | undefined;
  for (const [key, item] of entries) {
    if (items.length === limit) return { items, nextCursor: encodeCursor({ sk: last as string }) };
    items.push(map(item));
    last = key;
  }
  return { items, nextCursor: null };
}

/** What a failed condition throws where DynamoDB would (an update of an item that is not there). */
export class ConditionFailed extends Error {
  override readonly name = 'ConditionalCheckFailedException';
  constructor(what: string) {
    super(`The conditional request failed: ${what}`);
  }
}

/** An index's entries as (key, item). */
export function* indexed(entries: Iterable<{ key: string; item: Item }>): Generator<[string, Item]> {
  for (const e of entries) yield [e.key, e.item];
}
