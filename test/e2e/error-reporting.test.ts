import { execFileSync, spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Herald, heraldExpress, heraldKoa } from '@herald/client';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * The client library as an app uses it, against `npm start`: real Express and Koa apps whose
 * routes throw, a receiver getting the exception notifications, a send retried through a proxy
 * that loses answers, and a plain Node process that reports an error and ends.
 */
let home: string;
let herald: LocalHerald;
let receiver: Receiver;
const servers: Server[] = [];

/** An app whose notifier sends its exceptions (and "bad behavior") to the receiver at /<id>; resolves to its ingest key. */
async function appReportingTo(id: string): Promise<string> {
  const created = await herald.call('POST', '/v1/apps', herald.adminKey, { id, name: id, owner: { email: `o@${id}.example` } });
  expect(created.status).toBe(201);
  const notifier = await herald.call('POST', `/v1/apps/${id}/notifiers`, herald.adminKey, {
    name: 'errors',
    channel: 'webhook',
    target: { url: `${receiver.url}/${id}` },
    events: ['exception', 'bad_behavior'],
  });
  expect(notifier.status).toBe(201);
  return created.body.apiKey;
}

const received = (id: string) => receiver.requests.filter((r) => r.path === `/${id}`).map((r) => JSON.parse(r.body));
/** What the receiver got for the app once `count` came and a little longer passed (so that one too many would show). */
async function settled(id: string, count: number) {
  await eventually(async () => received(id).length >= count, 20_000, `${count} notifications for ${id}`);
  await new Promise((r) => setTimeout(r, 2000));
  return received(id);
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '-w', '@herald/client'], { stdio: 'ignore' }); // the plain Node test imports the build
  home = mkdtempSync(join(tmpdir(), 'herald-errors-'));
  receiver = await startReceiver();
  herald = await startLocalHerald(join(home, '.herald'));
});
afterAll(async () => {
  for (const s of servers) (s.closeAllConnections(), s.close());
  await herald?.stop();
  await receiver?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('heraldExpress', () => {
  it('12 identical errors on a route: the receiver gets the exception and one "bad behavior"; the app answers 500 as before', async () => {
    const client = new Herald({ url: herald.url, key: await appReportingTo('express-shop') });
    const app = express();
    let n = 0;
    app.get('/checkout', () => {
      throw new TypeError(`cart ${++n} is undefined`);
    });
    app.get('/missing', (_req, _res, next) => next(Object.assign(new Error('no such page'), { status: 404 })));
    app.use(heraldExpress(client));
    const url = await listen(app);

    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${url}/checkout?token=s3cret&page=2`, { headers: { authorization: 'Bearer user-token', cookie: 'sid=42' } });
      expect(res.status).toBe(500);
    }
    expect((await fetch(`${url}/missing`)).status).toBe(404); // a 4xx is not reported
    const got = await settled('express-shop', 2);
    expect(got.map((b) => b.event_type)).toEqual(['exception', 'bad_behavior']);
    expect(got[0]).toMatchObject({
      title: expect.stringMatching(/^TypeError: cart \d+ is undefined$/), // sent a few at a time: any of the first
      data: {
        http: {
          method: 'GET',
          url: '/checkout?token=[redacted]&page=2',
          status: 500,
          headers: { authorization: '[redacted]', cookie: '[redacted]' },
        },
      },
    });
    expect(got[0].data.stack).toContain('error-reporting.test.ts');
    expect(got[1].title).toMatch(/^TypeError: cart \d+ is undefined happened 6 times in 60 s$/); // one problem, whatever the message
    expect(JSON.stringify(got)).not.toMatch(/user-token|sid=42|s3cret/);
  });
});

describe('heraldKoa', () => {
  it('works in any position: first, before an error handler of the app that answers the errors itself', async () => {
    const client = new Herald({ url: herald.url, key: await appReportingTo('koa-shop') });
    const app = new Koa();
    app.use(heraldKoa(client, { custom: () => ({ tenant: 'acme', apiToken: 'tk_1' }) }));
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = 500;
        ctx.body = 'Sorry';
        ctx.app.emit('error', error, ctx);
      }
    });
    app.on('error', () => {}); // the app's own logging
    app.use((ctx) => {
      if (ctx.path === '/pay') throw new RangeError('amount out of range');
      ctx.body = 'ok';
    });
    const url = await listen(app.callback());
    for (let i = 0; i < 12; i++) expect(await (await fetch(`${url}/pay`)).text()).toBe('Sorry');
    const got = await settled('koa-shop', 2);
    expect(got.map((b) => b.event_type)).toEqual(['exception', 'bad_behavior']);
    expect(got[0]).toMatchObject({
      title: 'RangeError: amount out of range',
      data: { http: { method: 'GET', url: '/pay' }, custom: { tenant: 'acme', apiToken: '[redacted]' } },
    });
  });

  it('after other middleware: reports what the routes after it throw, and Koa answers as before', async () => {
    const client = new Herald({ url: herald.url, key: await appReportingTo('koa-late') });
    const app = new Koa();
    app.silent = true;
    app.use(async (_ctx, next) => next()); // a logger, say
    app.use(heraldKoa(client));
    app.use((ctx) => {
      if (ctx.path === '/forbidden') ctx.throw(403, 'not yours');
      throw new Error('database is gone');
    });
    const url = await listen(app.callback());
    expect((await fetch(`${url}/forbidden`)).status).toBe(403);
    expect((await fetch(`${url}/orders`)).status).toBe(500);
    const got = await settled('koa-late', 1);
    expect(got.map((b) => b.title)).toEqual(['Error: database is gone']);
  });
});

describe('Herald.send', () => {
  it('retried through a proxy that drops the first two answers: one event, delivered once', async () => {
    const key = await appReportingTo('retried');
    await herald.call('POST', '/v1/apps/retried/notifiers', herald.adminKey, {
      name: 'deploys',
      channel: 'webhook',
      target: { url: `${receiver.url}/retried-deploys` },
      events: ['app_deployed'],
    });
    let dropped = 0;
    const upstream = new URL(herald.url);
    const proxy = await listen((req, res) => {
      const forward = request(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          // Herald did the work; the answer is lost on the way back.
          if (dropped < 2) {
            dropped++;
            answer.resume();
            return req.socket.destroy();
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(forward);
    });
    const retries: string[] = [];
    const client = new Herald({
      url: proxy,
      key,
      retry: { baseDelayMs: 100, onRetry: (n, error, ms) => retries.push(`retry ${n} after ${ms} ms: ${(error as Error).message}`) },
    });
    const answer = await client.send('app_deployed', { title: 'Deployed v42', data: { commit: 'ac77098' } });
    expect(retries).toHaveLength(2);
    expect(retries[0]).toMatch(/^retry 1 after \d+ ms: Herald could not be reached/);
    expect(answer.duplicate).toBe(true); // the third attempt found the first one's event
    const events = (await herald.call('GET', '/v1/apps/retried/events', herald.adminKey)).body.events;
    expect(events.filter((e: any) => e.type === 'app_deployed').map((e: any) => e.id)).toEqual([answer.eventId]);
    await eventually(async () => receiver.requests.some((r) => r.path === '/retried-deploys'), 10_000, 'the delivery');
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.requests.filter((r) => r.path === '/retried-deploys')).toHaveLength(1);
  });
});

describe("an error with a terminal's colours", () => {
  it('arrives without them: Herald refuses control characters, and the report would be lost', async () => {
    const key = await appReportingTo('coloured');
    const failures: unknown[] = [];
    const client = new Herald({ url: herald.url, key, onError: (e) => failures.push(e) });
    // As execa's error carries a child's coloured stderr, with a bell in it.
    client.notifyError(new Error('Command failed: \u001b[31mexport\u001b[39m exited with 1\u0007'), {
      custom: { stderr: '\u001b[1mfatal\u001b[22m: disk full' },
    });
    await client.flush();
    expect(failures).toEqual([]);
    const [got] = await settled('coloured', 1);
    expect(got.title).toBe('Error: Command failed: export exited with 1');
    expect(got.data.custom.stderr).toBe('fatal: disk full');
  });
});

describe('with the admin key', () => {
  it('names the app given once (`app`) in heartbeats and error reports, which Herald takes', async () => {
    await appReportingTo('run-by-admin');
    const failures: unknown[] = [];
    const client = new Herald({ url: herald.url, key: herald.adminKey, app: 'run-by-admin', onError: (e) => failures.push(e) });
    await client.heartbeat('web-9');
    client.notifyError(new Error('reported with the admin key'));
    await client.flush();
    expect(failures).toEqual([]);
    const servers = (await herald.call('GET', '/v1/apps/run-by-admin/servers', herald.adminKey)).body.servers;
    expect(servers.map((s: { server: string }) => s.server)).toEqual(['web-9']);
    const [got] = await settled('run-by-admin', 1);
    expect(got.title).toBe('Error: reported with the admin key');
  });
});

describe('plain Node', () => {
  it('imports the package by its name; an error reported just before the process ends is sent, even on SIGTERM', async () => {
    const key = await appReportingTo('script');
    const script = `
      import { Herald } from '@herald/client';
      const herald = new Herald({ url: process.env.HERALD_URL, key: process.env.HERALD_KEY });
      herald.notifyError(new Error('nightly export failed'), { custom: { job: 'export' } });
      if (process.argv.includes('--sigterm')) process.kill(process.pid, 'SIGTERM');`;
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; signal: string | null }>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, '--', ...args], {
          env: { ...process.env, HERALD_URL: herald.url, HERALD_KEY: key },
          stdio: 'inherit',
        });
        child.on('exit', (code, signal) => resolve({ code, signal }));
      });
    expect(await run()).toEqual({ code: 0, signal: null });
    expect(await run('--sigterm')).toEqual({ code: null, signal: 'SIGTERM' }); // it still ends as SIGTERM ends it
    const got = await settled('script', 1);
    // The second is a repeat of the first (same type, same place): Herald throttles it, and sends nothing more.
    expect(got.map((b) => [b.title, b.data.custom.job])).toEqual([['Error: nightly export failed', 'export']]);
    const events = (await herald.call('GET', '/v1/apps/script/events', herald.adminKey)).body.events;
    expect(events.filter((e: any) => e.type === 'exception')).toHaveLength(2);
  });
});
