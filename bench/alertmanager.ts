import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Receiver } from '../test/support/receiver.js';
import { eventually } from '../test/support/receiver.js';
import { runAgainstSink, type SinkFigures } from './sink-run.js';

const BINARY = 'prometheus-alertmanager';

/** Alertmanager (Debian's prometheus-alertmanager), when installed: the same sink, the same kind of load, for comparison. */
export interface AlertmanagerBench {
  version: string;
  run(items: number, fanout: number): Promise<SinkFigures>;
  stop(): Promise<void>;
}

export function alertmanagerInstalled(): boolean {
  return spawnSync(BINARY, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts Alertmanager on loopback with no cluster, routing each alert (grouped by all its
 * labels: one notification per alert, sent at once) to 1 or 3 webhooks, by its `fanout`
 * label: webhook k to the sink's receiver k, as Herald's notifiers.
 */
export async function startAlertmanagerBench(sink: Receiver[]): Promise<AlertmanagerBench> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-am-'));
  const hooks = (fanout: number) =>
    Array.from(
      { length: fanout },
      (_, k) => `      - url: ${(sink[k] as Receiver).url}/am/${fanout}/${k}\n        send_resolved: false`,
    ).join('\n');
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    `route:
  receiver: one
  group_by: ['...']
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 24h
  routes:
    - receiver: three
      matchers: ['fanout="3"']
receivers:
  - name: one
    webhook_configs:
${hooks(1)}
  - name: three
    webhook_configs:
${hooks(3)}
`,
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    BINARY,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );
  await eventually(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok, 20_000, 'Alertmanager to be ready');
  const printed = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  const version = /version (\S+)/.exec(`${printed.stdout}${printed.stderr}`)?.[1] ?? '';
  let runs = 0;
  return {
    version,
    async run(items, fanout) {
      const run = `r${++runs}`;
      return runAgainstSink(sink, {
        items,
        fanout,
        pid: child.pid as number,
        async post(i) {
          const alert = [
            { labels: { alertname: 'BenchTick', run, fanout: String(fanout), i: String(i) }, annotations: { title: `tick ${i}` } },
          ];
          const res = await fetch(`${url}/api/v2/alerts`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(alert),
          });
          if (!res.ok) throw new Error(`Alertmanager answered ${res.status}: ${await res.text()}`);
        },
        identify(request) {
          if (!request.path.startsWith(`/am/${fanout}/`)) return undefined;
          const labels = JSON.parse(request.body).alerts?.[0]?.labels ?? {};
          if (labels.run !== run) return undefined;
          return { item: Number(labels.i), key: `${request.path}#${labels.i}` };
        },
      });
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
