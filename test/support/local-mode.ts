import { spawn, type ChildProcess } from 'node:child_process';
import { eventually } from './receiver.js';

/** Local mode as a user runs it: `npm start`'s command, in a child process. */
export interface LocalHerald {
  child: ChildProcess;
  url: string;
  adminKey: string;
  output: () => string;
  call(method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Ctrl-C; resolves to the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `nodeFlags` go to node before the rest (the bench's `--cpu-prof`).
 * `tty: true` runs it on a terminal, as `npm start` in a shell: under `script` (util-linux),
 * which gives it a pseudo-terminal; Ctrl-C is then the ^C character typed into it.
 */
export async function startLocalHerald(
  dataDir: string,
  env: Record<string, string> = {},
  options: { tty?: boolean; nodeFlags?: string[] } = {},
): Promise<LocalHerald> {
  const command = [process.execPath, ...(options.nodeFlags ?? []), '--import', 'tsx', 'infra/local/main.ts'];
  const childEnv = {
    ...process.env,
    PORT: '0',
    HERALD_DATA_DIR: dataDir,
    HERALD_ADMIN_KEY: '',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    // A user's shell has neither: the logger then writes to stdout in the format it picks.
    POWERTOOLS_DEV: '',
    HERALD_LOG_FORMAT: '',
    ...env,
  };
  const child = options.tty
    ? spawn('script', ['-qefc', `exec ${command.join(' ')}`, '/dev/null'], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(command[0] as string, command.slice(1), { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (c: Buffer) => (out += c.toString().replace(/\r\n/g, '\n'));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const banner = await eventually(
    async () => /API\s+(http:\/\/\S+)[\s\S]*Admin key\s+(\S+)/.exec(out) ?? undefined,
    30_000,
    `the banner; got:\n${out}`,
  );
  const url = banner[1] as string;
  return {
    child,
    url,
    adminKey: banner[2] as string,
    output: () => out,
    async call(method, path, key, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    stop() {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      if (options.tty) child.stdin?.write('\x03');
      else child.kill('SIGINT');
      return exited;
    },
  };
}
