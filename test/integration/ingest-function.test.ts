import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApi } from '../../functions/api/http-api.js';
import { ingestRoutes } from '../../functions/api/ingest-routes.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

/**
 * The ingest function's API (functions/ingest/handler.ts: the ingest key's routes only, on
 * AWS behind their own HTTP API routes): an event posted there reaches its receiver, and the
 * admin API is not there.
 */
let herald: TestHerald;
let receiver: Receiver;
let key: string;
let ingest: ReturnType<typeof createHttpApi>;

beforeAll(async () => {
  herald = await startTestHerald();
  receiver = await startReceiver();
  key = await herald.createApp('shop', {
    notifiers: [{ name: 'hook', channel: 'webhook', target: { url: `${receiver.url}/hook` }, events: ['deploy.*'] }],
  });
  ingest = createHttpApi(herald.deps, (api) => ingestRoutes(api, herald.deps));
  herald.startDelivering();
});
afterAll(async () => {
  await receiver.close();
  await herald.stop();
});

const send = (method: string, path: string, bearer: string, body?: unknown) =>
  ingest.request(path, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('the ingest function', () => {
  it('takes an event from an ingest key, and its webhook goes out', async () => {
    const res = await send('POST', '/v1/events', key, { type: 'deploy.done', title: 'Deployed v42' });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { deliveries: number }).deliveries).toBe(1);
    const [request] = await receiver.waitFor(1, 15_000);
    expect(JSON.parse(request!.body)).toMatchObject({ event_type: 'deploy.done', title: 'Deployed v42' });
  });

  it('takes heartbeats and says who the key is', async () => {
    expect((await send('POST', '/v1/heartbeats', key, { server: 'web-1' })).status).toBe(204);
    expect(await (await send('GET', '/v1/whoami', key)).json()).toMatchObject({ appId: 'shop' });
  });

  it('does not serve the admin API, even to the admin key', async () => {
    expect((await send('GET', '/v1/apps', herald.adminKey)).status).toBe(404);
    expect((await send('POST', '/v1/apps/shop/notifiers', herald.adminKey, { name: 'x' })).status).toBe(404);
  });
});
