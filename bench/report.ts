import type { AwsRun, EventsLife } from './aws/scenarios.js';
import type { Tally } from './aws/sdk-meter.js';
import type { BundleFigure } from './bundles.js';
import {
  accessLogBytes,
  COMPONENTS,
  indexWriteUnitsOf,
  platformLogBytes,
  priceEvents,
  writeUnitsOf,
  type EventCost,
} from './cost/model.js';
import { fixedMonthly, PRICES } from './cost/prices.js';
import { fixed, table } from './figures.js';
import { WARM_UP_ROUND, type SinkFigures } from './sink-run.js';
import type { StackSettings } from './stack-settings.js';

/** The printed report, section by section; each returns what goes into latest.json too. */

export function printBundles(bundles: BundleFigure[], nodeStartMs: number): Record<string, unknown> {
  console.log('\nBundles as deployed (infra/bundling.ts), and their import time in a fresh node, median');
  console.log(
    table([
      ['function', 'KiB', 'map KiB', 'import ms', 'flags'],
      ...bundles.map((b) => [b.name, fixed(b.kib, 0), fixed(b.mapKib, 0), fixed(b.importMs), b.nodeOptions || '-']),
    ]),
  );
  console.log("  import: the bundle and its top-level code (clients, config), from inside the process: Node's own start is not counted;");
  console.log(`  a yardstick of this machine's speed now: \`node -e 0\` took ${fixed(nodeStartMs)} ms from start to exit`);
  return {
    nodeStartMs: fixed(nodeStartMs),
    ...Object.fromEntries(bundles.map((b) => [b.name, { kib: fixed(b.kib, 0), mapKib: fixed(b.mapKib, 0), importMs: fixed(b.importMs) }])),
  };
}

const callsOf = (t: Tally, per: number) =>
  Object.entries(t.calls)
    .sort()
    .map(([k, v]) => `${k} ×${fixed(v / per, 2)}`)
    .join(', ') || 'none';
const unitsOf = (t: Tally, per: number) => {
  const index = indexWriteUnitsOf(t);
  const writes = Object.entries(t.indexWrites)
    .sort()
    .map(([k, v]) => `${k} ×${fixed(v / per, 2)}`)
    .join(', ');
  return `${fixed(writeUnitsOf(t) / per, 2)} write units (table ${fixed(t.writeUnits.table / per, 2)}, indexes ${fixed(index / per, 2)}${writes ? `: ${writes}` : ''}), ${fixed(t.readUnits / per, 2)} read units`;
};

export function printCalls(run: AwsRun): Record<string, object> {
  console.log(
    '\nAWS calls and DynamoDB units, counted on the wire (warm caches; index writes priced from TABLE and the items around each write)',
  );
  const out: Record<string, object> = {};
  for (const life of run.lives.filter((l) => l.variant !== 'batch' || run.batchAvailable)) {
    const label = `${life.deliveries} deliver${life.deliveries === 1 ? 'y' : 'ies'}, ${describe(life.variant)}`;
    console.log(`  ${label}`);
    console.log(`    ingest, per event:   ${callsOf(life.ingest, life.events)}`);
    console.log(`                         ${unitsOf(life.ingest, life.events)}`);
    console.log(`    delivery, per attempt: ${callsOf(life.delivery, life.attempts)}`);
    console.log(`                         ${unitsOf(life.delivery, life.attempts)}`);
    const units = (t: Tally, per: number) => fixed(writeUnitsOf(t) / per, 2);
    out[`${life.variant}.${life.deliveries}`] = {
      writeUnitsPerEventIngest: units(life.ingest, life.events),
      writeUnitsPerAttempt: units(life.delivery, life.attempts),
      writeUnitsPerEvent: fixed((writeUnitsOf(life.ingest) + writeUnitsOf(life.delivery)) / life.events, 2),
      callsPerEvent: fixed(Object.values(life.ingest.calls).reduce((a, b) => a + b, 0) / life.events, 2),
      callsPerAttempt: fixed(Object.values(life.delivery.calls).reduce((a, b) => a + b, 0) / life.attempts, 2),
    };
  }
  if (!run.batchAvailable) console.log('  batch ingest (POST /v1/events/batch): not available');
  return out;
}

const describe = (variant: EventsLife['variant']) =>
  ({ single: 'one event per POST', key: 'one per POST, with an idempotency key', batch: `batch ingest (100 per POST)` })[variant];

export function printCosts(
  run: AwsRun,
  stack: StackSettings,
): { costs: EventCost[]; perMillion: Record<string, Record<string, number> | null> } {
  const costs = run.lives.map((life) => priceEvents(life, run.times, stack));
  console.log('\n$ per million events, by component (webhook deliveries, each sent at the first attempt)');
  const cases = costs.map((c) => `${c.deliveries} ${c.variant}`);
  console.log(
    table([
      ['', ...cases],
      ...COMPONENTS.map((component) => [component, ...costs.map((c) => fixed(c.perMillion[component], 2))]),
      ['total', ...costs.map((c) => fixed(c.total, 2))],
      ['  write units / event', ...costs.map((c) => fixed(c.perEvent.writeUnits, 1))],
      ['  of them index writes', ...costs.map((c) => fixed(c.perEvent.indexWriteUnits, 1))],
      ['  SQS requests / event', ...costs.map((c) => fixed(c.perEvent.sqsRequests, 2))],
      ['  log bytes / event', ...costs.map((c) => fixed(c.perEvent.logBytes, 0))],
      ['  stored bytes / event', ...costs.map((c) => fixed(c.perEvent.storedBytes, 0))],
    ]),
  );
  if (!run.batchAvailable) console.log('  batch ingest: not available (no POST /v1/events/batch in the api)');
  // The same single posts to the ingest function's own URL (herald:ingestUrl).
  const viaUrl = run.lives.filter((l) => l.variant === 'single').map((life) => priceEvents(life, run.times, stack, 'ingest url'));
  console.log(
    `  one per POST to the ingest URL (herald:ingestUrl: no API Gateway request, no access log line): ${viaUrl
      .map((c) => `${c.deliveries} ${c.deliveries === 1 ? 'delivery' : 'deliveries'} $${fixed(c.total, 2)}`)
      .join(', ')}`,
  );
  const perMillion: Record<string, Record<string, number> | null> = {
    single: {},
    key: {},
    batch: run.batchAvailable ? {} : null,
    ingestUrl: Object.fromEntries(viaUrl.map((c) => [String(c.deliveries), fixed(c.total, 2)])),
  };
  for (const c of costs) (perMillion[c.variant] as Record<string, number>)[String(c.deliveries)] = fixed(c.total, 2);
  return { costs, perMillion };
}

export function printAssumptions(run: AwsRun, stack: StackSettings, retentionDays: number): void {
  const api = stack.functions.find((f) => f.name === 'ingest') ?? stack.functions.find((f) => f.name === 'api');
  const webhook = stack.functions.find((f) => f.name === 'webhook');
  const ms = (t: Record<string, number>) =>
    Object.entries(t)
      .map(([k, v]) => `${k} ${fixed(v)}`)
      .join(', ');
  console.log('\nPrices (us-east-1, on demand, first tiers, no free tier) and assumptions');
  console.log(
    `  API Gateway HTTP API $${PRICES.httpApiPerMillion}/M requests (per 512 KB); Lambda $${PRICES.lambdaPerMillion}/M requests, arm64 $${PRICES.lambdaArmPerGbSecond}/GB-s;`,
  );
  console.log(
    `  SQS $${PRICES.sqsPerMillion}/M requests (per 64 KiB); DynamoDB on demand $${PRICES.dynamoWritePerMillion}/M write units, $${PRICES.dynamoReadPerMillion}/M read units,`,
  );
  console.log(
    `  storage $${PRICES.dynamoStoragePerGbMonth}/GB-month + point-in-time recovery $${PRICES.dynamoPitrPerGbMonth}/GB-month; CloudWatch Logs $${PRICES.logsIngestPerGb}/GB ingested ($${PRICES.logsInfrequentIngestPerGb} Infrequent Access; +${PRICES.logEventOverheadBytes} B a line), $${PRICES.logsStoragePerGbMonth}/GB-month kept 30 days.`,
  );
  console.log(
    `  - Lambda memory as the stack sets it: ${api?.name} ${api?.memoryMb} MB, webhook ${webhook?.memoryMb} MB; cold starts not counted.`,
  );
  console.log(
    `  - Handler times measured here against the emulators (loopback receiver), median: api per request ${ms(run.times.apiMs)} ms;`,
  );
  console.log(
    `    webhook function per full batch of 10 messages ${ms(run.times.webhookBatchMs)} ms. A receiver answering in 100 ms adds about`,
  );
  console.log(
    `    $${fixed((((0.1 * (webhook?.memoryMb ?? 512)) / 1024) * PRICES.lambdaArmPerGbSecond * 1e6) / 10, 2)} per million messages (a batch waits for its slowest record).`,
  );
  console.log(
    '  - The event source at full batches of 10: a ReceiveMessage (per 64 KiB returned) and a DeleteMessageBatch per batch, one invocation per batch.',
  );
  console.log(
    `  - Logs: every line the functions wrote here at the stack's log level; Lambda's own lines ${api?.logFormat} format, system level ${api?.systemLogLevel ?? 'INFO (not set)'}: ${platformLogBytes(api!)} B an invocation;`,
  );
  const accessClass = stack.accessLogClass === 'INFREQUENT_ACCESS' ? ', in an Infrequent Access group' : '';
  console.log(
    `    API Gateway's access log ${stack.accessLogFormat ? `${accessLogBytes(stack.accessLogFormat)} B a request${accessClass}` : 'off'}.`,
  );
  console.log(
    `  - Storage: the items and index entries an event leaves, kept ${retentionDays} days (or until their TTL); storage billed on raw bytes.`,
  );
  console.log(
    '  - Events: info, 180 bytes of JSON, no quiet hours or throttles; every delivery sent at the first attempt (retries cost another attempt each).',
  );
  console.log('  - Per month whatever the traffic, not in the figures above:');
  for (const line of fixedMonthly(stack.alarms)) console.log(`      ${line}`);
}

export function printSinkRuns(
  local: Record<string, SinkFigures>,
  alertmanager: Record<string, SinkFigures> | undefined,
  version: string | undefined,
  warmedUp: { herald: number[]; alertmanager?: number[] },
): Record<string, number> {
  console.log('\nLocal mode (npm start, child process) and Alertmanager on the same sink, 127.0.0.1, posts 8 at a time');
  const rounds = (ms: number[]) => ms.map((m) => fixed(m, 2)).join(', ');
  console.log(`  warm-up, rounds of ${WARM_UP_ROUND} events to 1 receiver, CPU ms per delivery: Herald ${rounds(warmedUp.herald)}`);
  if (warmedUp.alertmanager) console.log(`    Alertmanager ${rounds(warmedUp.alertmanager)}`);
  const rows: (string | number)[][] = [['', 'items', 'delivered/s', 'p50 ms', 'p95 ms', 'p99 ms', 'CPU ms/delivery', 'lost', 'dup']];
  const row = (label: string, f: SinkFigures) => [
    label,
    f.items,
    fixed(f.perSecond, 0),
    fixed(f.latencyMs.p50, 0),
    fixed(f.latencyMs.p95, 0),
    fixed(f.latencyMs.p99, 0),
    fixed(f.cpuMsPerDelivery, 2),
    f.lost,
    f.duplicates,
  ];
  for (const [fanout, f] of Object.entries(local)) rows.push(row(`Herald, ${fanout} receiver(s)`, f));
  for (const [fanout, f] of Object.entries(alertmanager ?? {})) rows.push(row(`Alertmanager ${version}, ${fanout} receiver(s)`, f));
  console.log(table(rows));
  const ratios: Record<string, number> = {};
  if (!alertmanager) {
    console.log('  Alertmanager: not installed (apt-get install -y prometheus-alertmanager), no comparison');
    return ratios;
  }
  for (const fanout of Object.keys(local)) {
    const h = local[fanout]!;
    const a = alertmanager[fanout]!;
    ratios[`throughput.${fanout}`] = fixed(a.perSecond / h.perSecond, 1);
    ratios[`cpu.${fanout}`] = fixed(h.cpuMsPerDelivery / a.cpuMsPerDelivery, 1);
    console.log(
      `  ${fanout} receiver(s): Alertmanager delivers ${ratios[`throughput.${fanout}`]}× as many per second, with 1/${ratios[`cpu.${fanout}`]} of Herald's CPU each`,
    );
  }
  return ratios;
}
