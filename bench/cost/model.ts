import type { EventsLife, HandlerTimes } from '../aws/scenarios.js';
import type { Tally } from '../aws/sdk-meter.js';
import type { FunctionSettings, StackSettings } from '../stack-settings.js';
import { DAYS_PER_MONTH, GB, PRICES } from './prices.js';

export const COMPONENTS = [
  'API Gateway',
  'Lambda requests',
  'Lambda GB-s',
  'SQS',
  'DynamoDB writes',
  'DynamoDB reads',
  'DynamoDB storage',
  'CloudWatch Logs',
] as const;
export type Component = (typeof COMPONENTS)[number];

/** What one event costs, by component, and the quantities priced. */
export interface EventCost {
  deliveries: number;
  variant: EventsLife['variant'];
  perMillion: Record<Component, number>;
  total: number;
  perEvent: {
    apiRequests: number;
    invocations: number;
    gbSeconds: number;
    sqsRequests: number;
    writeUnits: number;
    indexWriteUnits: number;
    readUnits: number;
    logBytes: number;
    storedBytes: number;
  };
}

/** A full batch of the event source mapping (the stack's batch size): one ReceiveMessage, one invocation, one DeleteMessageBatch. */
const FULL_BATCH = 10;

/** Lambda's own lines per invocation (START, END, REPORT; JSON: platform.start and platform.report), at the system log level INFO. */
const PLATFORM_LINES = {
  Text: [
    'START RequestId: 8f5b1c2e-1234-4a5b-9c8d-0123456789ab Version: $LATEST',
    'END RequestId: 8f5b1c2e-1234-4a5b-9c8d-0123456789ab',
    'REPORT RequestId: 8f5b1c2e-1234-4a5b-9c8d-0123456789ab\tDuration: 23.45 ms\tBilled Duration: 24 ms\tMemory Size: 512 MB\tMax Memory Used: 98 MB\t',
  ],
  JSON: [
    '{"time":"2026-11-30T12:00:00.000Z","type":"platform.start","record":{"requestId":"8f5b1c2e-1234-4a5b-9c8d-0123456789ab","version":"$LATEST"}}',
    '{"time":"2026-11-30T12:00:00.024Z","type":"platform.report","record":{"requestId":"8f5b1c2e-1234-4a5b-9c8d-0123456789ab","metrics":{"durationMs":23.45,"billedDurationMs":24,"memorySizeMB":512,"maxMemoryUsedMB":98},"status":"success"}}',
  ],
};

/** The bytes CloudWatch bills for Lambda's own lines of one invocation of `f`. */
export function platformLogBytes(f: FunctionSettings): number {
  const quiet = ['WARN', 'ERROR', 'FATAL'].includes(String(f.systemLogLevel).toUpperCase());
  if (quiet && f.logFormat === 'JSON') return 0;
  return PLATFORM_LINES[f.logFormat].reduce((sum, line) => sum + Buffer.byteLength(line) + PRICES.logEventOverheadBytes, 0);
}

/** The bytes of one access log line, its `$context` variables filled as a POST /v1/events would fill them. */
export function accessLogBytes(format: string | undefined): number {
  if (!format) return 0;
  const sample: Record<string, string> = {
    requestId: 'AbCdEfGhIjKlMnO=',
    'identity.sourceIp': '203.0.113.7',
    httpMethod: 'POST',
    path: '/v1/events',
    status: '202',
    responseLatency: '23',
    integrationErrorMessage: '-',
  };
  return Buffer.byteLength(format.replace(/\$context\.([\w.]+)/g, (_, name: string) => sample[name] ?? '-')) + PRICES.logEventOverheadBytes;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** The write units a tally counted on its indexes, and on the table and its indexes. */
export const indexWriteUnitsOf = (t: Tally) => sum(Object.values(t.writeUnits.indexes));
export const writeUnitsOf = (t: Tally) => t.writeUnits.table + indexWriteUnitsOf(t);

/**
 * Prices the life of some events: what the bench counted (API requests, Herald's AWS calls,
 * write and read units, log lines, items left behind) and what Lambda does around Herald's
 * code (the event source's receives and deletes, one invocation per full batch, the
 * handlers' measured times at the stack's memory sizes, Lambda's own log lines).
 */
export function priceEvents(
  life: EventsLife,
  times: HandlerTimes,
  stack: StackSettings,
  /** Posted through the HTTP API, or to the ingest function's own URL (herald:ingestUrl: no API Gateway request, no access log line). */
  front: 'api' | 'ingest url' = 'api',
): EventCost {
  const viaApi = front === 'api';
  const per = (n: number) => n / life.events;
  const fn = (...names: string[]) => names.map((n) => stack.functions.find((f) => f.name === n)).find((f) => f !== undefined);
  const ingestFn = fn('ingest', 'api') as FunctionSettings;
  const webhookFn = fn('webhook') as FunctionSettings;
  const timeOf = (table: Record<string, number>) => table[`${life.variant} ${life.deliveries}`] ?? table[`single ${life.deliveries}`] ?? 0;

  const apiRequests = per(life.apiRequestBytes.length);
  const apiBilled = per(sum(life.apiRequestBytes.map((b) => Math.max(1, Math.ceil(b / PRICES.httpApiRequestBytes)))));
  const messages = per(life.messageBytes.length);
  const batches = messages / FULL_BATCH;
  const invocations = apiRequests + batches;
  const gbSeconds =
    apiRequests * (Math.ceil(timeOf(times.apiMs)) / 1000) * (ingestFn.memoryMb / 1024) +
    batches * (Math.ceil(timeOf(times.webhookBatchMs)) / 1000) * (webhookFn.memoryMb / 1024);
  // The event source: a ReceiveMessage per full batch, billed per 64 KiB of what it returns, and a DeleteMessageBatch.
  const messageBytes = life.messageBytes.length ? sum(life.messageBytes) / life.messageBytes.length : 0;
  const receives = batches * Math.max(1, Math.ceil((FULL_BATCH * messageBytes) / PRICES.sqsChunkBytes));
  const sqsRequests = per(life.ingest.sqsBilled + life.delivery.sqsBilled) + receives + batches;
  const writeUnits = per(writeUnitsOf(life.ingest) + writeUnitsOf(life.delivery));
  const indexWriteUnits = per(indexWriteUnitsOf(life.ingest) + indexWriteUnitsOf(life.delivery));
  const readUnits = per(life.ingest.readUnits + life.delivery.readUnits);
  const functionLogBytes =
    per(life.apiLog.bytes + life.familyLog.bytes + PRICES.logEventOverheadBytes * (life.apiLog.lines + life.familyLog.lines)) +
    apiRequests * platformLogBytes(ingestFn) +
    batches * platformLogBytes(webhookFn);
  const accessBytes = viaApi ? apiRequests * accessLogBytes(stack.accessLogFormat) : 0;
  const accessIngestPerGb = stack.accessLogClass === 'INFREQUENT_ACCESS' ? PRICES.logsInfrequentIngestPerGb : PRICES.logsIngestPerGb;
  const logBytes = functionLogBytes + accessBytes;
  const storedByteMonths = per(sum(life.stored.map((s) => (s.bytes * s.days) / DAYS_PER_MONTH)));
  const logRetentionMonths = 30 / DAYS_PER_MONTH;

  const perMillion: Record<Component, number> = {
    'API Gateway': viaApi ? apiBilled * PRICES.httpApiPerMillion : 0,
    'Lambda requests': invocations * PRICES.lambdaPerMillion,
    'Lambda GB-s': gbSeconds * PRICES.lambdaArmPerGbSecond * 1e6,
    SQS: sqsRequests * PRICES.sqsPerMillion,
    'DynamoDB writes': writeUnits * PRICES.dynamoWritePerMillion,
    'DynamoDB reads': readUnits * PRICES.dynamoReadPerMillion,
    'DynamoDB storage': ((storedByteMonths * 1e6) / GB) * (PRICES.dynamoStoragePerGbMonth + PRICES.dynamoPitrPerGbMonth),
    'CloudWatch Logs':
      ((functionLogBytes * 1e6) / GB) * PRICES.logsIngestPerGb +
      ((accessBytes * 1e6) / GB) * accessIngestPerGb +
      ((logBytes * 1e6) / GB) * PRICES.logsStoragePerGbMonth * logRetentionMonths,
  };
  return {
    deliveries: life.deliveries,
    variant: life.variant,
    perMillion,
    total: sum(Object.values(perMillion)),
    perEvent: {
      apiRequests,
      invocations,
      gbSeconds,
      sqsRequests,
      writeUnits,
      indexWriteUnits,
      readUnits,
      logBytes,
      storedBytes: per(sum(life.stored.map((s) => s.bytes))),
    },
  };
}
