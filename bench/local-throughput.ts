/**
 * Local mode's throughput, as a user runs it: `npm start` in a child process (its own data
 * dir under /tmp), an app with 1 and then 3 webhook notifiers to receivers on this machine,
 * 3,000 events posted one per request by a few concurrent clients. Prints deliveries/s
 * (first post to last arrival), p50/p95/p99 from the post to the receiver, and Herald's
 * CPU per delivery (the child's user+system time, from /proc). Checks that every delivery
 * arrived once. `node --import tsx bench/local-throughput.ts [events] [concurrency]`
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const EVENTS = Number(process.argv[2] ?? 3000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Arrival {
  deliveryId: string;
  eventId: string;
  at: number;
}

async function receiver(): Promise<{ url: string; arrivals: Arrival[]; server: Server }> {
  const arrivals: Arrival[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { data?: { eventId?: string }; eventId?: string; id?: string };
      arrivals.push({ deliveryId: String(req.headers['webhook-id']), eventId: String(body.data?.eventId ?? body.id), at: Date.now() });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrivals, server };
}

/** The child's CPU time so far (user + system), in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function run(receivers: number): Promise<Record<string, number | string>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'herald-bench-'));
  const profile = process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'infra/local/main.ts'], {
    env: { ...process.env, PORT: '0', HERALD_DATA_DIR: dataDir, HERALD_ADMIN_KEY: '', POWERTOOLS_DEV: '', HERALD_LOG_FORMAT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The output is kept until the banner, then only its tail (the log lines are the user's, not the bench's).
  let out = '';
  const keep = (c: Buffer) => {
    out = (out + c.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const banner = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /API\s+(http:\/\/\S+)[\s\S]*Admin key\s+(\S+)/.exec(out);
      if (m || child.exitCode !== null) clearInterval(timer);
      if (m) resolve(m);
      else if (child.exitCode !== null) reject(new Error(out));
    }, 50);
  });
  const [, url, admin] = banner as unknown as [string, string, string];
  const call = async (path: string, key: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const sinks = await Promise.all(Array.from({ length: receivers }, receiver));
  try {
    const app = await call('/v1/apps', admin, {
      id: 'bench',
      name: 'Bench',
      owner: { email: 'o@bench.example' },
      limits: { eventsPerMinute: 1_000_000 },
    });
    if (app.status !== 201) throw new Error(JSON.stringify(app.body));
    for (const [i, sink] of sinks.entries()) {
      const n = await call('/v1/apps/bench/notifiers', admin, {
        name: `sink ${i}`,
        channel: 'webhook',
        target: { url: `${sink.url}/in` },
        events: ['bench.*'],
      });
      if (n.status !== 201) throw new Error(JSON.stringify(n.body));
    }
    // Warm up (the first requests compile the hot paths), then measure.
    for (let i = 0; i < 50; i++) await call('/v1/events', app.body.apiKey, { type: 'bench.warm', data: { eventId: `warm-${i}` } });
    while (sinks.some((s) => s.arrivals.length < 50)) await new Promise((r) => setTimeout(r, 20));
    for (const s of sinks) s.arrivals.length = 0;

    const postedAt = new Map<string, number>();
    const cpuBefore = cpuMs(child.pid as number);
    const started = Date.now();
    let next = 0;
    let refused = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < EVENTS) {
          const id = `e${next++}`;
          postedAt.set(id, Date.now());
          const res = await call('/v1/events', app.body.apiKey, { type: 'bench.tick', data: { eventId: id } });
          if (res.status !== 202) refused++;
        }
      }),
    );
    const expected = EVENTS * receivers;
    const deadline = Date.now() + 60_000;
    while (sinks.reduce((n, s) => n + s.arrivals.length, 0) < expected && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const arrivals = sinks.flatMap((s) => s.arrivals);
    const ended = Math.max(...arrivals.map((a) => a.at));
    await new Promise((r) => setTimeout(r, 1000)); // late duplicates, if any
    const cpu = cpuMs(child.pid as number) - cpuBefore;
    const all = sinks.flatMap((s) => s.arrivals);
    const unique = new Set(all.map((a) => a.deliveryId)).size;
    const latencies = all.map((a) => a.at - (postedAt.get(a.eventId) ?? NaN)).sort((a, b) => a - b);
    return {
      receivers,
      events: EVENTS,
      refused,
      deliveries: all.length,
      lost: expected - unique,
      duplicates: all.length - unique,
      'deliveries/s': Math.round(all.length / ((ended - started) / 1000)),
      'p50 ms': percentile(latencies, 50),
      'p95 ms': percentile(latencies, 95),
      'p99 ms': percentile(latencies, 99),
      'CPU ms/delivery': Number((cpu / all.length).toFixed(3)),
    };
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    await Promise.all(sinks.map((s) => new Promise((r) => s.server.close(r))));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results = [await run(1), await run(3)];
console.table(results);
