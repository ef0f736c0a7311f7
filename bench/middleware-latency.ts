/**
 * What the error middleware costs a request that does not fail: the same route served with
 * and without heraldExpress and heraldKoa (interleaved rounds of sequential requests on
 * 127.0.0.1), and heraldKoa called alone. Prints its figures; the README quotes them.
 * `node --import tsx --conditions source bench/middleware-latency.ts`
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Koa from 'koa';
import { Herald, heraldExpress, heraldKoa } from '@herald/client';

const herald = new Herald({ url: 'http://127.0.0.1:9', key: 'hrd_app_unused' });
const ROUNDS = 10;
const REQUESTS = 300;

async function serve(handler: RequestListener) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ok`, close: () => server.close() };
}

function expressApp(reporting: boolean): RequestListener {
  const app = express();
  app.get('/ok', (_req, res) => void res.send('ok'));
  if (reporting) app.use(heraldExpress(herald));
  return app;
}

function koaApp(reporting: boolean): RequestListener {
  const app = new Koa();
  if (reporting) app.use(heraldKoa(herald));
  app.use((ctx) => void (ctx.body = 'ok'));
  return app.callback();
}

const apps = {
  express: await serve(expressApp(false)),
  'express + heraldExpress': await serve(expressApp(true)),
  koa: await serve(koaApp(false)),
  'koa + heraldKoa': await serve(koaApp(true)),
};
const times = new Map<string, number[]>(Object.keys(apps).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, app] of Object.entries(apps)) {
    for (let i = 0; i < REQUESTS; i++) {
      const start = process.hrtime.bigint();
      await (await fetch(app.url)).text();
      times.get(name)?.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
}
for (const [name, t] of times) {
  t.sort((a, b) => a - b);
  const at = (q: number) => (t[Math.floor(t.length * q)] ?? 0).toFixed(3);
  console.log(`${name.padEnd(24)} p50 ${at(0.5)} ms  p95 ${at(0.95)} ms`);
}
for (const app of Object.values(apps)) app.close();

// heraldKoa alone, around a next() that does nothing.
const middleware = heraldKoa(herald);
const ctx = { method: 'GET', url: '/ok', headers: {}, app: { on: () => undefined } };
const next = async () => undefined;
const perCall = async (fn: () => Promise<unknown>, n = 1_000_000) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - start) / n;
};
await perCall(() => middleware(ctx, next), 100_000);
const added = (await perCall(() => middleware(ctx, next))) - (await perCall(next));
console.log(`heraldKoa alone: ${added.toFixed(0)} ns per request (heraldExpress is not called unless a route fails)`);
