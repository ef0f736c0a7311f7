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

export async function startLocalHerald(dataDir: string, env: Record<string, string> = {}): Promise<LocalHerald> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
    env: { ...process.env, PORT: '0', HERALD_DATA_DIR: dataDir, HERALD_ADMIN_KEY: '', POWERTOOLS_LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
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
      child.kill('SIGINT');
      return exited;
    },
  };
}
