import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { eventually } from './receiver.js';

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
