import { readFileSync } from 'node:fs';
import type { ReceivedRequest, Receiver } from '../test/support/receiver.js';
import { percentiles } from './figures.js';

/** What one run of a notifier (Herald's local mode, Alertmanager) against the sink showed. */
export interface SinkFigures {
  items: number;
  /** Notifications the sink got: one per item and receiver. */
  delivered: number;
  lost: number;
  duplicates: number;
  /** Notifications per second, from the first post to the last arrival. */
  perSecond: number;
  /** From an item's post to its notification's arrival. */
  latencyMs: { p50: number; p95: number; p99: number };
  /** From an item's post to the notifier's answer. */
  answerMs: { p50: number; p95: number; p99: number };
  /** The notifier process's CPU (user and system) per notification. */
  cpuMsPerDelivery: number;
}

export interface SinkRun {
  items: number;
  /** Notifications expected per item: one at each of the first `fanout` receivers. */
  fanout: number;
  /** Posts item `i` (resolves when the notifier answered). */
  post(i: number): Promise<void>;
  /** Which item a request to the sink notifies of, and a key that is the same for a redelivery (undefined: not this run's). */
  identify(request: ReceivedRequest): { item: number; key: string } | undefined;
  pid: number;
  concurrency?: number;
  timeoutMs?: number;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** A notifier the bench runs against the sink (local mode, Alertmanager). */
export interface SinkBench {
  /** `items` items, each to `fanout` receivers. */
  run(items: number, fanout: number): Promise<SinkFigures>;
}

/** Events in each round of a warm-up. */
export const WARM_UP_ROUND = 1500;

/**
 * Warms a notifier up with `events` items to one receiver, in rounds of WARM_UP_ROUND, and
 * returns each round's CPU per notification, for the reader to see it settle. The issue asks
 * for a sustained rate, and local mode's first seconds are not one: V8 compiles its paths
 * on its worker threads for about 8 s after the start (`--trace-opt`: a second of a core
 * during the 3,000 events after a warm-up of 1,500), and three runs of 3,000 in a row after
 * such a warm-up measured 1.37, 1.06 and 0.89 ms of CPU a delivery.
 */
export async function warmUp(notifier: SinkBench, events: number): Promise<number[]> {
  const rounds: number[] = [];
  for (let done = 0; done < events; done += WARM_UP_ROUND) {
    rounds.push((await notifier.run(Math.min(WARM_UP_ROUND, events - done), 1)).cpuMsPerDelivery);
  }
  return rounds;
}

/** A process's CPU time so far, in ms, from /proc (utime and stime, in clock ticks). */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After the command: state is field 3; utime and stime are fields 14 and 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Posts the items (`concurrency` at a time, as apps would) and waits until the sink (one
 * receiver per notifier: each team's webhook is its own host) has a notification for each
 * item and receiver, or the timeout: throughput, latency from post to arrival, loss and
 * duplicates, and the notifier's CPU per notification.
 */
export async function runAgainstSink(sink: Receiver[], run: SinkRun): Promise<SinkFigures> {
  const expected = run.items * run.fanout;
  const postedAt = new Array<number>(run.items);
  const answers: number[] = [];
  // Where this run's requests begin, in each receiver's list.
  const scanned = sink.map((r) => r.requests.length);
  const cpuBefore = cpuMsOf(run.pid);
  const started = Date.now();
  let next = 0;
  const poster = async () => {
    while (next < run.items) {
      const i = next++;
      postedAt[i] = Date.now();
      await run.post(i);
      answers.push(Date.now() - (postedAt[i] as number));
    }
  };
  await Promise.all(Array.from({ length: run.concurrency ?? 8 }, poster));
  const seen = new Map<string, number>();
  const latencies: number[] = [];
  let lastArrival = started;
  const until = Date.now() + (run.timeoutMs ?? 240_000);
  while (seen.size < expected && Date.now() < until) {
    for (const [r, receiver] of sink.entries()) {
      for (; (scanned[r] as number) < receiver.requests.length; scanned[r]!++) {
        const request = receiver.requests[scanned[r] as number] as ReceivedRequest;
        const id = run.identify(request);
        if (!id) continue;
        const count = (seen.get(id.key) ?? 0) + 1;
        seen.set(id.key, count);
        if (count === 1) latencies.push(request.at - (postedAt[id.item] ?? request.at));
        lastArrival = Math.max(lastArrival, request.at);
      }
    }
    if (seen.size < expected) await new Promise((r) => setTimeout(r, 20));
  }
  const cpuMs = cpuMsOf(run.pid) - cpuBefore;
  const delivered = seen.size;
  return {
    items: run.items,
    delivered,
    lost: expected - delivered,
    duplicates: [...seen.values()].filter((n) => n > 1).length,
    perSecond: delivered / ((lastArrival - started) / 1000),
    latencyMs: latencies.length ? percentiles(latencies) : { p50: NaN, p95: NaN, p99: NaN },
    answerMs: percentiles(answers),
    cpuMsPerDelivery: cpuMs / Math.max(1, delivered),
  };
}
