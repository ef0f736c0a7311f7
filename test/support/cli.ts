import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalHerald, type LocalHerald } from './local-mode.js';
import { eventually, startReceiver, type Receiver } from './receiver.js';

/** The `herald` command as npm installs it: its bin, run by plain Node in a child process. */
export const HERALD_BIN = resolve('packages/cli/bin/herald.js');

/** Build the command line (and the client it uses) from the source under test. */
export function buildCli(): void {
  execFileSync('npm', ['run', 'build', '-w', '@herald/cli'], { stdio: 'ignore' });
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json). */
  json: any;
}

/** Run `herald ...args` to its end, with only the environment given (no HERALD_* of the test's own). */
export function herald(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  const child = spawnHerald(args, options.env);
  child.stdin?.end(options.input ?? '');
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((done) =>
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      done({ code, stdout, stderr, json });
    }),
  );
}

export function spawnHerald(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [HERALD_BIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** A long-running `herald` (deliveries tail): what it printed so far, waiting for a line, Ctrl-C. */
export function startHerald(args: string[], env: Record<string, string>) {
  const child = spawnHerald(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (pattern: RegExp, where: 'stdout' | 'stderr' = 'stdout', timeoutMs = 15_000) =>
      eventually(
        async () => pattern.exec(where === 'stdout' ? stdout : stderr) ?? undefined,
        timeoutMs,
        `${pattern} in herald's ${where}:\n${stdout}${stderr}`,
      ),
    interrupt: () =>
      new Promise<number | null>((done) => {
        child.once('close', (code) => done(code));
        child.kill('SIGINT');
      }),
  };
}

/** `npm start` in a home of its own, with an app whose webhook notifier posts everything to a receiver, for `herald` to run against. */
export interface CliHerald {
  local: LocalHerald;
  receiver: Receiver;
  /** What `herald` runs with: the URL, the admin key, the app as HERALD_APP, no profile. */
  env: Record<string, string>;
  /** The app's ingest key. */
  appKey: string;
  /** POST an event with the app's ingest key (202 expected); its id. */
  post(body: object): Promise<string>;
  /** The requests the webhook got whose body contains this. */
  told(text: string): Receiver['requests'];
  stop(): Promise<void>;
}

/** Builds the command line, starts local mode and a receiver, and creates the app `appId` with its webhook notifier `Hook`. */
export async function startCliHerald(appId: string): Promise<CliHerald> {
  buildCli();
  const home = mkdtempSync(join(tmpdir(), 'herald-cli-'));
  const receiver = await startReceiver();
  const local = await startLocalHerald(join(home, '.herald'));
  const env = { HERALD_URL: local.url, HERALD_KEY: local.adminKey, HERALD_APP: appId, HERALD_CONFIG: join(home, 'none.json') };
  const created = await local.call('POST', '/v1/apps', local.adminKey, {
    id: appId,
    name: `${appId.charAt(0).toUpperCase()}${appId.slice(1)}`,
    owner: { email: `o@${appId}.example` },
  });
  if (created.status !== 201) throw new Error(`creating app ${appId}: ${created.status} ${JSON.stringify(created.body)}`);
  const hook = { name: 'Hook', channel: 'webhook', target: { url: `${receiver.url}/${appId}` }, events: ['*'], minSeverity: 'info' };
  const notifier = await local.call('POST', `/v1/apps/${appId}/notifiers`, local.adminKey, hook);
  if (notifier.status !== 201) throw new Error(`creating the notifier of ${appId}: ${notifier.status} ${JSON.stringify(notifier.body)}`);
  const appKey = created.body.apiKey as string;
  return {
    local,
    receiver,
    env,
    appKey,
    async post(body) {
      const res = await local.call('POST', '/v1/events', appKey, body);
      if (res.status !== 202) throw new Error(`posting an event: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.eventId as string;
    },
    told: (text) => receiver.requests.filter((r) => r.body.includes(text)),
    async stop() {
      await local.stop();
      await receiver.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
