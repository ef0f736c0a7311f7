import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalHerald } from '../test/support/local-mode.js';
import type { Receiver } from '../test/support/receiver.js';
import { runAgainstSink, type SinkBench } from './sink-run.js';

/** Local mode as a user starts it (`npm start`, in a child process), running against the bench's sink. */
export interface LocalModeBench extends SinkBench {
  /** `run(items, fanout)`: `items` events, each to `fanout` webhook notifiers, notifier k pointing at the sink's receiver k. */
  stop(): Promise<void>;
}

/**
 * `BENCH_CPU_PROF=<dir>`: local mode writes a CPU profile there when it stops (node's --cpu-prof), to see where its time goes.
 * `BENCH_NODE_FLAGS`: more flags for local mode's node (`--perf-basic-prof`, for Linux perf to name its JavaScript).
 */
export async function startLocalModeBench(sink: Receiver[]): Promise<LocalModeBench> {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-bench-local-'));
  const profileDir = process.env['BENCH_CPU_PROF'];
  const nodeFlags = [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ...(process.env['BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean),
  ];
  const herald = await startLocalHerald(dataDir, {}, { nodeFlags });
  let runs = 0;
  return {
    async run(items, fanout) {
      const id = `local${++runs}`;
      const app = await herald.call('POST', '/v1/apps', herald.adminKey, { id, name: id, owner: { email: `o@${id}.example` } });
      for (let k = 0; k < fanout; k++) {
        const target = { url: `${(sink[k] as Receiver).url}/herald/${id}/${k}` };
        const res = await herald.call('POST', `/v1/apps/${id}/notifiers`, herald.adminKey, {
          name: `sink ${k}`,
          channel: 'webhook',
          target,
          events: ['bench.*'],
        });
        if (res.status !== 201) throw new Error(`local mode refused a notifier: ${JSON.stringify(res.body)}`);
      }
      return runAgainstSink(sink, {
        items,
        fanout,
        pid: herald.child.pid as number,
        async post(i) {
          const res = await herald.call('POST', '/v1/events', app.body.apiKey, { type: 'bench.tick', title: `tick ${i}`, data: { i } });
          if (res.status !== 202) throw new Error(`local mode answered ${res.status}: ${JSON.stringify(res.body)}`);
        },
        identify(request) {
          if (!request.path.startsWith(`/herald/${id}/`)) return undefined;
          return { item: Number(JSON.parse(request.body).data.i), key: String(request.headers['webhook-id']) };
        },
      });
    },
    async stop() {
      await herald.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
