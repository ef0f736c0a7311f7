/**
 * `npm run bench`: what Herald costs and how fast it goes, in one run (issue 14, "The
 * benchmark"). It measures and prints; it asserts nothing, and `npm test` does not run it.
 *
 * 1. Each function's bundle as deployed, and its import time in a fresh node with the flags
 *    the stack sets.
 * 2. The Lambda handlers against the emulators, every AWS call counted on the wire and
 *    priced: calls and write units (index writes included) per event and per attempt, and $
 *    per million events at 1, 2 and 10 webhook deliveries (one event per POST, with an
 *    idempotency key, through batch ingest), with the prices and assumptions it used.
 * 3. Herald's CPU per delivery in process, every port in memory.
 * 4. Local mode (`npm start`) on 3,000 events to 1 and to 3 webhook notifiers, each at its
 *    own receiver, and Alertmanager on the same receivers when it is installed.
 * Then it writes bench/results/latest.json (the previous one kept as previous.json) and
 * prints what changed since.
 */
import { cpus } from 'node:os';
import { execSync } from 'node:child_process';

// Before Herald's modules load: they read their settings once. Logging as on Lambda (JSON lines).
Object.assign(process.env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', HERALD_LOG_FORMAT: 'json' });
delete process.env['POWERTOOLS_DEV'];

const EVENTS = Number(process.env['HERALD_BENCH_EVENTS'] ?? 3000);
const WARM_UP = Number(process.env['HERALD_BENCH_WARM_UP'] ?? 6000);
const RETENTION_DAYS = 30;
const started = Date.now();
const { readStackSettings } = await import('./stack-settings.js');
const { measureBundles } = await import('./bundles.js');
const report = await import('./report.js');
const { changes, saveResults } = await import('./results.js');
const { fixed } = await import('./figures.js');

console.log(`Herald bench: ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`);
const stack = readStackSettings();
const measured = await measureBundles(stack.functions);
const bundles = report.printBundles(measured.bundles, measured.nodeStartMs);

const { SdkMeter } = await import('./aws/sdk-meter.js');
const { tableDefinition } = await import('./aws/write-units.js');
const { TABLE } = await import('../shared/resources.js');
const { runAwsScenarios } = await import('./aws/scenarios.js');
const { TABLE_NAME } = await import('./aws/lambdas.js');
const meter = new SdkMeter(tableDefinition(TABLE), TABLE_NAME);
meter.install();
const aws = await runAwsScenarios(stack.functions, meter, RETENTION_DAYS);
const calls = report.printCalls(aws);
const { perMillion } = report.printCosts(aws, stack);
report.printAssumptions(aws, stack, RETENTION_DAYS);

const { measureInProcessCpu } = await import('./cpu/in-process.js');
// Warmed first (JIT): three runs of 2,000 in a row measured 1.6, 1.1 and 0.8 ms a delivery.
await measureInProcessCpu(1, 6000);
const inProcess = { '1': await measureInProcessCpu(1, 2000), '3': await measureInProcessCpu(3, 1000) };
console.log(
  '\nHerald in process, every port in memory, HTTP answered at once (ingest through the HTTP API, delivery through the webhook channel)',
);
for (const [fanout, f] of Object.entries(inProcess))
  console.log(`  ${fanout} delivery per event: ${fixed(f.cpuMsPerDelivery, 3)} ms of CPU per delivery (${f.events} events)`);

const { startReceiver } = await import('../test/support/receiver.js');
const { startLocalModeBench } = await import('./local-mode.js');
const { alertmanagerInstalled, startAlertmanagerBench } = await import('./alertmanager.js');
const { warmUp } = await import('./sink-run.js');
// One receiver per notifier, as each team's webhook is its own host (Herald holds 16 attempts at once per destination).
const FANOUTS = [1, 3];
const sink = await Promise.all(Array.from({ length: Math.max(...FANOUTS) }, () => startReceiver()));
const local = await startLocalModeBench(sink);
const alertmanager = alertmanagerInstalled() ? await startAlertmanagerBench(sink) : undefined;
const localRuns: Record<string, Awaited<ReturnType<typeof local.run>>> = {};
const amRuns: Record<string, Awaited<ReturnType<typeof local.run>>> = {};
const warmedUp: { herald: number[]; alertmanager?: number[] } = { herald: [] };
try {
  // Warm both (JIT, caches: see warmUp), then each case in turn on each: a busy moment of the machine falls on both.
  warmedUp.herald = await warmUp(local, WARM_UP);
  if (alertmanager) warmedUp.alertmanager = await warmUp(alertmanager, WARM_UP);
  for (const fanout of FANOUTS) {
    localRuns[fanout] = await local.run(EVENTS, fanout);
    if (alertmanager) amRuns[fanout] = await alertmanager.run(EVENTS, fanout);
  }
} finally {
  await local.stop();
  await alertmanager?.stop();
  for (const receiver of sink) await receiver.close();
}
const ratios = report.printSinkRuns(localRuns, alertmanager ? amRuns : undefined, alertmanager?.version, warmedUp);

const figures = {
  at: new Date().toISOString(),
  commit: execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim(),
  machine: { cores: cpus().length, node: process.version },
  costPerMillion: perMillion,
  calls,
  inProcessCpuMsPerDelivery: Object.fromEntries(Object.entries(inProcess).map(([k, f]) => [k, fixed(f.cpuMsPerDelivery, 3)])),
  bundles,
  localMode: localRuns,
  warmUpCpuMsPerDelivery: Object.fromEntries(Object.entries(warmedUp).map(([k, rounds]) => [k, rounds.map((ms) => fixed(ms, 3))])),
  alertmanager: alertmanager ? { version: alertmanager.version, runs: amRuns, ratios } : null,
};
const previous = saveResults(figures);
console.log('\nSince the previous run (bench/results/previous.json)');
if (!previous) console.log('  no previous run');
else for (const line of changes(previous, figures)) console.log(`  ${line}`);
console.log(`\nbench/results/latest.json written; ${fixed((Date.now() - started) / 1000, 0)} s in all`);
process.exit(0);
