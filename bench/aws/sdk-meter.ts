import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { writeCost, type Item, type TableDefinition } from './write-units.js';

/**
 * What Herald's code sends to DynamoDB and SQS, counted on the wire: every SDK client made in
 * this process (Herald's own, wherever its wiring makes them) gets a middleware on its first
 * call. It counts each call; reads the table's units from DynamoDB's consumed capacity (asked
 * for on every read); and around each write reads the items before and after it, with a
 * client of its own that is not counted, to price the write and its index writes
 * (write-units.ts). Metered writes run one at a time so that the reads around one see no
 * other; `metering = false` lets everything through uncounted and unserialized (timings).
 */
export interface Tally {
  /** Calls by service and operation: `DynamoDB UpdateItem`, `SQS SendMessageBatch`. */
  calls: Record<string, number>;
  writeUnits: { table: number; indexes: Record<string, number> };
  /** Index writes by index and kind: `gsi2 put`. */
  indexWrites: Record<string, number>;
  readUnits: number;
  /** SQS requests as billed: one per started 64 KiB of a request's payload. */
  sqsBilled: number;
  /** The size of each message sent to a queue, by queue URL: what the event source will receive. */
  sent: { queueUrl: string; bytes: number }[];
  /** Items a metered write created (absent before it), by key: what the event leaves in the table. */
  created: Map<string, Item>;
}

const emptyTally = (): Tally => ({
  calls: {},
  writeUnits: { table: 0, indexes: {} },
  indexWrites: {},
  readUnits: 0,
  sqsBilled: 0,
  sent: [],
  created: new Map(),
});

type Args = { input: Record<string, any> };
type Next = (args: Args) => Promise<{ output: Record<string, any> }>;
type Context = { clientName?: string; commandName?: string };
type Stack = { add(middleware: (next: Next, context: Context) => Next, options: object): void };

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
const SQS_CHUNK = 64 * 1024;

export class SdkMeter {
  tally: Tally = emptyTally();
  /** Off: calls go through uncounted, and writes are not serialized (for timings). */
  metering = true;
  private readonly seen = new WeakSet<object>();
  private reader?: DynamoDBClient;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly table: TableDefinition,
    private readonly tableName: string,
  ) {}

  /** Reads items around writes from this DynamoDB (the emulator's endpoint). */
  connect(endpoint: string): void {
    this.reader = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
    this.exclude(this.reader);
  }

  /** Meter every SDK client of this process from its next call on. */
  install(): void {
    const meter = this;
    for (const proto of new Set([DynamoDBClient, SQSClient, DynamoDBDocumentClient].map((c) => Object.getPrototypeOf(c.prototype)))) {
      const send = proto.send as (...args: unknown[]) => Promise<unknown>;
      proto.send = function (this: { middlewareStack: Stack }, ...args: unknown[]) {
        meter.attach(this.middlewareStack);
        return send.apply(this, args);
      };
    }
  }

  /** Leaves a client of the bench's own out of the count. */
  exclude(client: object): void {
    this.seen.add((client as { middlewareStack: object }).middlewareStack);
  }

  /** The tally so far, and a fresh one from now on. */
  take(): Tally {
    const taken = this.tally;
    this.tally = emptyTally();
    return taken;
  }

  /** The items' state now, for what they will keep in storage. */
  async current(keys: Iterable<Item>): Promise<Item[]> {
    const items = await Promise.all([...keys].map((k) => this.read(k)));
    return items.filter((i): i is Item => i !== undefined);
  }

  private attach(stack: Stack): void {
    if (this.seen.has(stack)) return;
    this.seen.add(stack);
    // Reads report their consumed capacity: asked for before the request is built.
    stack.add(
      (next, context) => (args) =>
        this.metering && READS.has(operation(context))
          ? next({ ...args, input: { ReturnConsumedCapacity: 'TOTAL', ...args.input } })
          : next(args),
      { step: 'initialize', name: 'heraldBenchCapacity' },
    );
    // After the document client has marshalled the input: items as DynamoDB gets them.
    stack.add((next, context) => (args) => (this.metering ? this.meter(next, context, args) : next(args)), {
      step: 'build',
      name: 'heraldBenchMeter',
    });
  }

  private async meter(next: Next, context: Context, args: Args) {
    const service = String(context.clientName).replace(/Client$/, '');
    const op = operation(context);
    const name = `${service} ${op}`;
    this.tally.calls[name] = (this.tally.calls[name] ?? 0) + 1;
    if (service === 'SQS') return this.meterSqs(op, next, args);
    if (service !== 'DynamoDB') return next(args);
    if (WRITES.has(op)) return this.serialized(() => this.meterWrite(op, next, args));
    const result = await next(args);
    if (READS.has(op)) {
      const consumed = result.output['ConsumedCapacity'] as { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
      for (const c of [consumed ?? []].flat()) this.tally.readUnits += c.CapacityUnits ?? 0;
    }
    return result;
  }

  private async meterWrite(op: string, next: Next, args: Args) {
    const keys = this.writtenKeys(op, args.input);
    const before = await Promise.all(keys.map((k) => this.read(k)));
    let result: Awaited<ReturnType<Next>> | undefined;
    let error: unknown;
    try {
      result = await next(args);
    } catch (err) {
      error = err;
    }
    // Only a failed condition is paid for; a refused request (validation, throttling) is not.
    const paid = !error || (error as { name?: string }).name === 'ConditionalCheckFailedException';
    const unprocessed = new Set(unprocessedKeys(result?.output).map((k) => this.keyString(k)));
    const after = await Promise.all(keys.map((k) => this.read(k)));
    keys.forEach((key, i) => {
      if (!paid || unprocessed.has(this.keyString(key))) return;
      const cost = writeCost(this.table, before[i], after[i]);
      this.tally.writeUnits.table += cost.table;
      for (const [index, units] of Object.entries(cost.indexes))
        this.tally.writeUnits.indexes[index] = (this.tally.writeUnits.indexes[index] ?? 0) + units;
      for (const w of cost.indexWrites) this.count(this.tally.indexWrites, `${w.index} ${w.kind}`);
      if (!before[i] && after[i]) this.tally.created.set(this.keyString(key), key);
    });
    if (error) throw error;
    return result!;
  }

  private async meterSqs(op: string, next: Next, args: Args) {
    const input = args.input;
    const entries: { MessageBody?: string; MessageAttributes?: Record<string, unknown> }[] =
      op === 'SendMessage' ? [input] : op === 'SendMessageBatch' ? (input['Entries'] ?? []) : [];
    const sizes = entries.map(
      (e) => Buffer.byteLength(e.MessageBody ?? '') + Buffer.byteLength(JSON.stringify(e.MessageAttributes ?? {})) - 2,
    );
    for (const bytes of sizes) this.tally.sent.push({ queueUrl: String(input['QueueUrl']), bytes });
    const result = await next(args);
    const received = ((result.output['Messages'] ?? []) as { Body?: string }[]).map((m) => Buffer.byteLength(m.Body ?? ''));
    const payload = [...sizes, ...received].reduce((a, b) => a + b, 0);
    this.tally.sqsBilled += Math.max(1, Math.ceil(payload / SQS_CHUNK));
    return result;
  }

  /** The keys of the items a write touches (marshalled). */
  private writtenKeys(op: string, input: Record<string, any>): Item[] {
    if (op === 'PutItem') return [this.keyOf(input['Item'])];
    if (op === 'UpdateItem' || op === 'DeleteItem') return [input['Key'] as Item];
    const requests = (input['RequestItems']?.[this.tableName] ?? []) as { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[];
    return requests.map((r) => (r.PutRequest ? this.keyOf(r.PutRequest.Item) : (r.DeleteRequest?.Key as Item)));
  }

  private keyOf(item: Item): Item {
    const names = [this.table.partitionKey, this.table.sortKey].filter((n): n is string => n !== undefined);
    return Object.fromEntries(names.map((n) => [n, item[n]])) as Item;
  }

  private keyString(key: Record<string, unknown>): string {
    const value = (v: unknown) => (v && typeof v === 'object' && 'S' in v ? String((v as { S: string }).S) : String(v));
    return `${value(key[this.table.partitionKey])}|${this.table.sortKey ? value(key[this.table.sortKey]) : ''}`;
  }

  private async read(key: Item): Promise<Item | undefined> {
    if (!this.reader) throw new Error('the meter reads items around writes: connect() it to DynamoDB first');
    const out = await this.reader.send(new GetItemCommand({ TableName: this.tableName, Key: key as never, ConsistentRead: true }));
    return out.Item as Item | undefined;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private count(counts: Record<string, number>, key: string): void {
    counts[key] = (counts[key] ?? 0) + 1;
  }
}

const operation = (context: Context) => String(context.commandName).replace(/Command$/, '');

/** The keys BatchWriteItem left unprocessed (marshalled or not: the document client may have unmarshalled them). */
function unprocessedKeys(output: Record<string, any> | undefined): Record<string, unknown>[] {
  const tables = Object.values(
    (output?.['UnprocessedItems'] ?? {}) as Record<string, { PutRequest?: { Item: any }; DeleteRequest?: { Key: any } }[]>,
  );
  return tables.flat().map((r) => r.PutRequest?.Item ?? r.DeleteRequest?.Key);
}
