import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApi } from '../../functions/api/api.js';
import { portOf, startHttpGateway } from '../../infra/local/http-gateway.js';
import { apiDeps } from '../../shared/aws/api-wiring.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

let herald: TestHerald;

beforeAll(async () => {
  herald = await startTestHerald();
});
afterAll(() => herald.stop());

const newApp = async (id: string, limits: object) => {
  const res = await herald.call('POST', '/v1/apps', {
    key: herald.adminKey,
    body: { id, name: id, owner: { email: `o@${id}.example` }, limits },
  });
  expect(res.status).toBe(201);
  return res.body.apiKey as string;
};
const deliveriesOf = async (appId: string, eventId: string) =>
  (await herald.call('GET', `/v1/apps/${appId}/events/${eventId}`, { key: herald.adminKey })).body.deliveries as any[];

describe('rate and spend limits', () => {
  it("answers 429 with Retry-After past the app's events per minute, and stores nothing", async () => {
    // app_created, the welcome, counts as the first event of the minute.
    const key = await newApp('quota', { eventsPerMinute: 4 });
    const statuses: number[] = [];
    let refused: any;
    // 12 posts: even if a new minute starts midway, one of the two minutes goes over.
    for (let i = 0; i < 12; i++) {
      const res = await herald.call('POST', '/v1/events', { key, body: { type: 'x' } });
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(7);
    expect(statuses).toContain(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const events = (await herald.call('GET', '/v1/apps/quota/events?limit=100', { key: herald.adminKey })).body.events;
    expect(events.filter((e: any) => e.type === 'x')).toHaveLength(statuses.filter((s) => s === 202).length);
  });

  it("suppresses SMS past the app's daily cap, saying why", async () => {
    const key = await newApp('texts', { smsPerDay: 2 });
    await herald.call('POST', '/v1/apps/texts/notifiers', {
      key: herald.adminKey,
      body: { name: 'sms', channel: 'sms', target: { to: ['+4915112345678'] }, events: ['x'] },
    });
    const results = [];
    for (let i = 0; i < 3; i++)
      results.push((await herald.call('POST', '/v1/events', { key, body: { type: 'x', title: `n${i}` } })).body.eventId);
    const statuses = [];
    for (const id of results) statuses.push((await deliveriesOf('texts', id))[0]);
    expect(statuses.map((d) => d.status === 'suppressed')).toEqual([false, false, true]);
    expect(statuses[2].reason).toBe("the app's daily SMS cap of 2 is reached");
  });

  it('suppresses the deliveries of an event past the cap', async () => {
    const key = await newApp('wide', { deliveriesPerEvent: 2 });
    await herald.call('POST', '/v1/apps/wide/notifiers', {
      key: herald.adminKey,
      body: { name: 'many', channel: 'email', target: { to: ['a@example.com', 'b@example.com', 'c@example.com'] }, events: ['x'] },
    });
    const posted = await herald.call('POST', '/v1/events', { key, body: { type: 'x' } });
    expect(posted.body.deliveries).toBe(3);
    const deliveries = await deliveriesOf('wide', posted.body.eventId);
    expect(deliveries.filter((d) => d.status === 'suppressed').map((d) => d.reason)).toEqual(['over the cap of 2 deliveries per event']);
  });
});

describe('a body past the limit, served as local mode serves the api (Node requests, no Lambda event)', () => {
  it('answers 413 while a body with no Content-Length is still coming, without reading it all', async () => {
    const api = createApi(await apiDeps(herald.config));
    const server = await startHttpGateway({ port: 0, handler: { listener: getRequestListener(api.fetch) } });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({
          host: '127.0.0.1',
          port: portOf(server),
          method: 'POST',
          path: '/v1/events',
          headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        });
        let sent = 0;
        let answered = false;
        req.on('response', (res) => {
          answered = true;
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', (err) => answered || reject(err));
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = (): void => {
          if (answered) return void req.destroy();
          if (sent > 32 * 1024 * 1024) return void (req.destroy(), reject(new Error('read 32 MiB without answering')));
          sent += chunk.length;
          if (req.write(chunk)) setImmediate(pump);
          else req.once('drain', pump);
        };
        req.write('{"type":"');
        pump();
      });
      expect(status).toBe(413);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('answers 413 for a declared Content-Length past the limit before the body comes, and takes one within it', async () => {
    const api = createApi(await apiDeps(herald.config));
    const server = await startHttpGateway({ port: 0, handler: { listener: getRequestListener(api.fetch) } });
    const key = await newApp('declared-length', {});
    const post = (length: number, body: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request({
          host: '127.0.0.1',
          port: portOf(server),
          method: 'POST',
          path: '/v1/events',
          headers: { 'content-type': 'application/json', 'content-length': length, authorization: `Bearer ${key}` },
        });
        req.on('response', (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        // Only the start of the body: the answer must not wait for the rest.
        req.write(body);
        if (Buffer.byteLength(body) === length) req.end();
      });
    try {
      const tooLarge = await post(64 * 1024 + 1, '{"type":"');
      expect(tooLarge.status).toBe(413);
      expect(JSON.parse(tooLarge.text).error.code).toBe('payload_too_large');
      const event = JSON.stringify({ type: 'x', data: { blob: 'a'.repeat(60 * 1024) } });
      expect((await post(Buffer.byteLength(event), event)).status).toBe(202);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
