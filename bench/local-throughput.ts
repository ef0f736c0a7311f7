/**
 * Local mode's part of the bench alone, to iterate on its throughput in a minute:
 *   node --import tsx bench/local-throughput.ts [events] [fanouts, e.g. 1,3] [warm-up events]
 * The warm-up is 6,000 events to one receiver in rounds of 1,500, as `npm run bench` does
 * (sink-run.ts's warmUp: V8 compiles local mode's paths for its first seconds).
 * BENCH_CPU_PROF=<dir> writes a CPU profile of the server there (node's --cpu-prof); sum it
 * with `node --import tsx bench/profile-summary.ts <file>.cpuprofile`.
 */
import { startReceiver } from '../test/support/receiver.js';
import { fixed } from './figures.js';
import { warmUp } from './sink-run.js';
import { startLocalModeBench } from './local-mode.js';

const events = Number(process.argv[2] ?? 3000);
const fanouts = (process.argv[3] ?? '1,3').split(',').map(Number);
const warmUpEvents = Number(process.argv[4] ?? 6000);

const sink = await Promise.all(Array.from({ length: Math.max(...fanouts) }, () => startReceiver()));
const spawned = Date.now();
const local = await startLocalModeBench(sink);
try {
  const rounds = await warmUp(local, warmUpEvents);
  console.log(`warm-up rounds, CPU ms per delivery: ${rounds.map((ms) => fixed(ms, 2)).join(', ')}`);
  console.log(`measuring from ${fixed((Date.now() - spawned) / 1000, 1)} s after the server's start`);
  for (const fanout of fanouts) {
    const f = await local.run(events, fanout);
    console.log(
      JSON.stringify({
        fanout,
        delivered: f.delivered,
        lost: f.lost,
        duplicates: f.duplicates,
        perSecond: fixed(f.perSecond, 0),
        p50: f.latencyMs.p50,
        p95: f.latencyMs.p95,
        p99: f.latencyMs.p99,
        answerP50: f.answerMs.p50,
        answerP95: f.answerMs.p95,
        cpuMs: fixed(f.cpuMsPerDelivery, 3),
      }),
    );
  }
} finally {
  await local.stop();
  for (const receiver of sink) await receiver.close();
}
process.exit(0);
