import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors.js';
import type { Page } from '../core/ports.js';

/** The table and the document client every DynamoDB adapter shares. */
export interface Table {
  name: string;
  client: DynamoDBDocumentClient;
}

export function createTable(name: string, options: { endpoint?: string; region: string; client?: DynamoDBClient }): Table {
  const base =
    options.client ?? new DynamoDBClient({ region: options.region, ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
  return { name, client: DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } }) };
}

type Item = Record<string, unknown>;

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'expiresAt'];

/** The stored item without the table's key attributes. */
export function fromItem<T>(item: Item): T {
  const copy = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as T;
}

/** The items in groups of at most `size`, in order. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Writes (puts and deletes) in BatchWriteItem calls of 25, in parallel, retrying what comes back unprocessed. */
export async function batchWrite(table: Table, requests: ({ put: Item } | { delete: { pk: string; sk: string } })[]): Promise<void> {
  await Promise.all(
    chunksOf(requests, 25).map(async (chunk) => {
      let pending: NonNullable<BatchWriteCommand['input']['RequestItems']>[string] = chunk.map((r) =>
        'put' in r ? { PutRequest: { Item: r.put } } : { DeleteRequest: { Key: r.delete } },
      );
      for (let round = 0; pending.length > 0; round++) {
        if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** round)));
        if (round > 8) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed`);
        const out = await table.client.send(new BatchWriteCommand({ RequestItems: { [table.name]: pending } }));
        pending = out.UnprocessedItems?.[table.name] ?? [];
      }
    }),
  );
}

/** Items by key (BatchGetItem, 100 at a time, retrying what comes back unprocessed), keyed `pk|sk`. */
export async function batchGetItems(table: Table, keys: { pk: string; sk: string }[], consistent = false): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  const unique = [...new Map(keys.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
  for (const chunk of chunksOf(unique, 100)) {
    let pending: Item[] | undefined = chunk;
    for (let round = 0; pending?.length; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** round)));
      if (round > 8) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
      const out: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Item[] }> } = await table.client.send(
        new BatchGetCommand({ RequestItems: { [table.name]: { Keys: pending, ...(consistent ? { ConsistentRead: true } : {}) } } }),
      );
      for (const item of out.Responses?.[table.name] ?? []) found.set(`${String(item['pk'])}|${String(item['sk'])}`, item);
      pending = out.UnprocessedKeys?.[table.name]?.Keys;
    }
  }
  return found;
}

/** One page of a query; the cursor is the last evaluated key, opaque to the caller. */
export async function queryPage<T>(
  table: Table,
  input: Omit<QueryCommandInput, 'TableName'>,
  limit: number,
  cursor?: string,
): Promise<Page<T>> {
  const command = new QueryCommand({
    ...input,
    TableName: table.name,
    Limit: limit,
    ...(cursor ? { ExclusiveStartKey: decodeCursor(cursor) } : {}),
  });
  const out = await table.client.send(command).catch((err: unknown) => {
    // A cursor from another list is refused by DynamoDB; it is the caller's mistake.
    if (cursor && (err as { name?: string }).name === 'ValidationException') throw invalidCursor();
    throw err;
  });
  return {
    items: (out.Items ?? []).map((i) => fromItem<T>(i)),
    nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
  };
}

/**
 * One page of a query with a filter. DynamoDB applies `Limit` before the filter, so this
 * reads on until the page is full (at most `maxReads` reads) and makes the cursor from
 * the last item it returns.
 */
export async function queryFilteredPage<T>(
  table: Table,
  input: Omit<QueryCommandInput, 'TableName'>,
  keyAttributes: readonly string[],
  limit: number,
  cursor?: string,
  maxReads = 10,
): Promise<Page<T>> {
  const kept: Item[] = [];
  let start: Item | undefined = cursor ? decodeCursor(cursor) : undefined;
  for (let read = 0; read < maxReads; read++) {
    const out = await table.client
      .send(new QueryCommand({ ...input, TableName: table.name, Limit: limit, ...(start ? { ExclusiveStartKey: start } : {}) }))
      .catch((err: unknown) => {
        if (cursor && (err as { name?: string }).name === 'ValidationException') throw invalidCursor();
        throw err;
      });
    kept.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
    if (!start || kept.length >= limit) break;
  }
  if (kept.length > limit) {
    kept.length = limit;
    const last = kept[limit - 1] as Item;
    start = Object.fromEntries(keyAttributes.map((k) => [k, last[k]]));
  }
  return { items: kept.map((i) => fromItem<T>(i)), nextCursor: start ? encodeCursor(start) : null };
}

/** Every item of a query, page after page. */
export async function queryAll(table: Table, input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await table.client.send(
      new QueryCommand({ ...input, TableName: table.name, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

export function encodeCursor(key: Item): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A cursor is a key Herald encoded: the table's key attributes, all strings. Anything else is refused before DynamoDB sees it. */
export function decodeCursor(cursor: string): Item {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      key &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      Object.entries(key).every(
        ([k, v]) => KEY_ATTRIBUTES.includes(k) && typeof v === 'string' && v.length > 0 && Buffer.byteLength(v) <= 1024,
      )
    )
      return key as Item;
  } catch {
    // fall through
  }
  throw invalidCursor();
}

/** A list cursor: the sort key of the last item of the previous page. */
export function cursorId(cursor: string): string {
  const { sk } = decodeCursor(cursor) as { sk?: unknown };
  if (typeof sk !== 'string') throw invalidCursor();
  return sk;
}

export const invalidCursor = () =>
  new ValidationError('The cursor is not valid', [{ path: 'cursor', message: 'pass back a nextCursor unchanged' }]);

/**
 * A conditional write whose condition may fail on purpose: its result, or undefined when
 * the condition failed. Any other error is thrown.
 */
export async function unlessConditionFails<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (err) {
    if (isConditionFailure(err)) return undefined;
    throw err;
  }
}

/** A conditional write whose condition may fail on purpose: whether it was written. */
export async function writtenUnlessConditionFails(write: Promise<unknown>): Promise<boolean> {
  return (await unlessConditionFails(write)) !== undefined;
}

export function isConditionFailure(err: unknown): boolean {
  return (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}
