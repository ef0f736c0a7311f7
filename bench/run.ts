/**
 * `npm run bench`: Herald's budgets as figures (DESIGN.md, "Budgets"). Prints each
 * function's bundle size, the AWS calls one event costs (cold and warm caches, 1 and 10
 * matching notifiers) counted by an SDK middleware, what one delivery attempt costs, and a
 * rough ingest rate against the emulators on this machine. It measures; it asserts nothing.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { build } from 'esbuild';
import { createApi } from '../functions/api/api.js';
import { gzipSync } from 'node:zlib';
import { buildConsole } from '../console/build.js';
import { BUNDLING, FUNCTION_NAMES } from '../infra/bundling.js';
import { startEmulators } from '../infra/local/emulators.js';
import { startStandIns } from '../infra/local/stand-ins/index.js';
import { provisionQueues, provisionTable } from '../infra/local/provision.js';
import { apiDeps } from '../shared/aws/wiring.js';
import { channelFunction } from '../shared/channel-function.js';
import { opsgenie } from '../shared/channels/opsgenie.js';
import { pagerduty } from '../shared/channels/pagerduty.js';
import { webhook } from '../shared/channels/webhook.js';
import type { Config } from '../shared/config.js';
import { FAMILY_NAMES } from '../shared/core/types.js';
import { logger } from '../shared/telemetry.js';
import { startReceiver } from '../test/support/receiver.js';

logger.setLogLevel('ERROR');
process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' });

console.log('Bundles (minified ESM, node22, AWS SDK inside)');
for (const name of FUNCTION_NAMES) {
  const out = await build({
    entryPoints: [`functions/${name}/handler.ts`],
    bundle: true,
    platform: 'node',
    write: false,
    logLevel: 'error',
    ...BUNDLING,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
  });
  console.log(`  ${name.padEnd(8)} ${(out.outputFiles[0]!.contents.length / 1024).toFixed(0).padStart(5)} KiB`);
}
// The console's own files (served by the console function, not bundled into the api's).
for (const [name, asset] of await buildConsole()) {
  if (!/\.(js|css)$/.test(name)) continue;
  const gzipped = (gzipSync(asset.body).length / 1024).toFixed(0);
  console.log(`  console/${name.replace(/-\w{8}\./, '.')} ${(asset.body.length / 1024).toFixed(0)} KiB (${gzipped} KiB gzipped)`);
}

const emulators = await startEmulators();
const receiver = await startReceiver();
const standIns = await startStandIns();
const region = 'us-east-1';
await provisionTable(new DynamoDBClient({ region, endpoint: emulators.dynamodb }), 'bench');
const base: Config = {
  region,
  tableName: 'bench',
  queueUrls: {},
  dlqUrls: {},
  providers: standIns.settings,
  retrySchedule: [1, 1, 1],
  disableAfterDays: 5,
  retentionDays: 30,
  messages: {},
  emailFrom: 'bench@example.com',
  adminKey: 'bench-admin-key',
  endpoints: { dynamodb: emulators.dynamodb, sqs: emulators.sqs, ses: emulators.ses, sns: emulators.sms.endpoint },
  local: true,
};
const plainSqs = new SQSClient({ region, endpoint: emulators.sqs, useQueueUrlAsEndpoint: false });
const queues = await provisionQueues(plainSqs, 'bench');
const config: Config = {
  ...base,
  queueUrls: Object.fromEntries(FAMILY_NAMES.map((f) => [f, queues[f].url])),
  dlqUrls: Object.fromEntries(FAMILY_NAMES.map((f) => [f, queues[f].dlqUrl])),
};

/** AWS calls by operation, counted by a middleware on the SDK clients. */
const calls = new Map<string, number>();
type Middleware = (
  next: (args: unknown) => Promise<unknown>,
  context: { clientName?: string; commandName?: string },
) => (args: unknown) => Promise<unknown>;
function counted<T extends DynamoDBClient | SQSClient>(client: T): T {
  (client.middlewareStack as unknown as { add(m: Middleware, o: object): void }).add(
    (next, context) => async (args) => {
      const key = `${String(context.clientName).replace('Client', '')} ${String(context.commandName).replace('Command', '')}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'heraldCallCounter' },
  );
  return client;
}
const dynamodb = counted(new DynamoDBClient({ region, endpoint: emulators.dynamodb }));
const sqs = counted(new SQSClient({ region, endpoint: emulators.sqs, useQueueUrlAsEndpoint: false }));
const freshApi = async () => createApi(await apiDeps(config, { dynamodb, sqs }));

let api = await freshApi();
const send = async (method: string, path: string, key: string, body?: unknown) => {
  const res = await api.request(path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as any;
};
const ingestKeys: Record<string, string> = {};
for (const [id, n] of [
  ['one', 1],
  ['ten', 10],
] as const) {
  ingestKeys[id] = (await send('POST', '/v1/apps', 'bench-admin-key', { id, name: id, owner: { email: `o@${id}.example` } })).apiKey;
  for (let i = 0; i < n; i++) {
    const channel = (['webhook', 'slack', 'email', 'sms'] as const)[i % 4];
    const target =
      channel === 'email'
        ? { to: [`r${i}@example.com`] }
        : channel === 'sms'
          ? { to: [`+1415555${String(1000 + i)}`] }
          : { url: `${receiver.url}/${id}/${i}` };
    await send('POST', `/v1/apps/${id}/notifiers`, 'bench-admin-key', { name: `n${i}`, channel, target, events: ['bench.*'] });
  }
}

const report = (label: string) => {
  const line = [...calls.entries()]
    .sort()
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');
  console.log(`  ${label.padEnd(34)} ${line || 'none'}`);
  calls.clear();
};
console.log('\nAWS calls for one POST /v1/events (SDK middleware count)');
for (const id of ['one', 'ten']) {
  api = await freshApi();
  calls.clear();
  await send('POST', '/v1/events', ingestKeys[id]!, { type: 'bench.cold' });
  report(`${id === 'one' ? 1 : 10} notifier(s), caches cold`);
  await send('POST', '/v1/events', ingestKeys[id]!, { type: 'bench.warm' });
  report(`${id === 'one' ? 1 : 10} notifier(s), caches warm`);
}
console.log('  cold: the key lookup (then cached 30 s), then the app and the global notifiers: two Queries in parallel, one round trip');
console.log('  10 notifiers on 4 channel families: one SendMessageBatch per family queue (at most 10 entries, 256 KiB), in parallel');

console.log('\nDelivery attempts (webhook function, SQS batches of 1)');
const handler = channelFunction('webhook', [webhook], config, {}, { dynamodb });
const received = await plainSqs.send(
  new ReceiveMessageCommand({ QueueUrl: queues.webhook.url, MaxNumberOfMessages: 2, WaitTimeSeconds: 1 }),
);
const [first, second] = received.Messages!.filter((m) => JSON.parse(m.Body!).delivery.appId === 'one');
const batchOf = (m: typeof first) =>
  ({ Records: [{ messageId: m!.MessageId, receiptHandle: m!.ReceiptHandle, body: m!.Body }] }) as unknown as SQSEvent;
for (const [label, message] of [
  ['an attempt, notifier cache cold', first],
  ['an attempt, notifier cache warm', second],
  ['the same message again', second],
] as const) {
  calls.clear();
  const sentBefore = receiver.requests.length;
  await handler(batchOf(message));
  const line = [...calls.entries()]
    .sort()
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ');
  console.log(`  ${label.padEnd(34)} ${line}; provider calls ×${receiver.requests.length - sentBefore}`);
}
calls.clear();

console.log('\nAn incident update (incident function, PagerDuty stand-in)');
const incidentKey = (await send('POST', '/v1/apps', 'bench-admin-key', { id: 'inc', name: 'inc', owner: { email: 'o@inc.example' } }))
  .apiKey;
await send('POST', '/v1/apps/inc/notifiers', 'bench-admin-key', {
  name: 'pd',
  channel: 'pagerduty',
  target: { routingKey: 'R0UT1NGKEYR0UT1NGKEYR0UT1NGKEY12' },
  events: ['bench.*'],
});
await send('POST', '/v1/events', incidentKey, { type: 'bench.incident', severity: 'critical' });
const incidentHandler = channelFunction('incident', [pagerduty, opsgenie], config, { providers: config.providers }, { dynamodb });
const [incident] = (
  await plainSqs.send(new ReceiveMessageCommand({ QueueUrl: queues.incident.url, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }))
).Messages!;
calls.clear();
const pagerdutyBefore = standIns.delivered('pagerduty').length;
await incidentHandler(batchOf(incident));
console.log(
  `  ${'a trigger, notifier cache cold'.padEnd(34)} ${[...calls.entries()]
    .sort()
    .map(([k, v]) => `${k} ×${v}`)
    .join(', ')}; provider calls ×${standIns.delivered('pagerduty').length - pagerdutyBefore}`,
);
console.log("  (one UpdateItem more than other channels: the order of the incident's updates)");
calls.clear();

console.log('\nIngest rate, in process against the emulators (sequential, warm caches, 1 notifier)');
const latencies: number[] = [];
const started = performance.now();
for (let i = 0; i < 300; i++) {
  const t0 = performance.now();
  await send('POST', '/v1/events', ingestKeys['one']!, { type: 'bench.rate', data: { i } });
  latencies.push(performance.now() - t0);
}
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
console.log(`  ${(300 / seconds).toFixed(0)} events/s; p50 ${latencies[150]!.toFixed(1)} ms, p95 ${latencies[285]!.toFixed(1)} ms`);

await receiver.close();
await standIns.close();
await emulators.stop();
process.exit(0);
