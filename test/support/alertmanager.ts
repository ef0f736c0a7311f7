import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './receiver.js';

/** Debian's Alertmanager (`apt-get install prometheus-alertmanager`: .ci/run installs it). */
export const ALERTMANAGER = 'prometheus-alertmanager';

export interface Alertmanager {
  url: string;
  /** Its process (the bench reads its CPU time). */
  pid: number;
  /** `alertmanager --version`'s version. */
  version: string;
  /** Posts alerts to its API (v2), as Prometheus does: firing without `endsAt`, resolved with an `endsAt` in the past. */
  post(alerts: object[]): Promise<void>;
  stop(): Promise<void>;
}

export const alertmanagerInstalled = (): boolean => spawnSync(ALERTMANAGER, ['--version'], { stdio: 'ignore' }).status === 0;

/** A real Alertmanager on loopback, alone (no cluster), with the given configuration file's text. */
export async function startAlertmanager(config: string): Promise<Alertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child: ChildProcess = spawn(
    ALERTMANAGER,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  try {
    await eventually(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok, 20_000, 'Alertmanager to be ready');
  } catch (err) {
    child.kill('SIGTERM');
    throw new Error(`Alertmanager did not start:\n${output.join('')}`, { cause: err });
  }
  const printed = spawnSync(ALERTMANAGER, ['--version'], { encoding: 'utf8' });
  return {
    url,
    pid: child.pid as number,
    version: /version (\S+)/.exec(`${printed.stdout}${printed.stderr}`)?.[1] ?? '',
    async post(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      if (!res.ok) throw new Error(`Alertmanager answered ${res.status}: ${await res.text()}`);
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
