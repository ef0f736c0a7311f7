import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/** Every route of openapi.json, with every kind of wrong key. */
let herald: TestHerald;
let routes: { method: string; path: string }[];
let otherKey: string;
let revokedKey: string;

beforeAll(async () => {
  herald = await startTestHerald();
  await herald.createApp('shop');
  otherKey = await herald.createApp('other');
  const revoked = await herald.call('POST', '/v1/apps/shop/keys', { key: herald.adminKey });
  revokedKey = revoked.body.apiKey;
  await herald.call('DELETE', `/v1/apps/shop/keys/${revoked.body.key.id}`, { key: herald.adminKey });
  const spec = (await herald.call('GET', '/openapi.json')).body;
  routes = Object.entries(spec.paths as Record<string, object>)
    // Inbound sources answer to their own means (a token, a signature): test/integration/inbound-*.test.ts.
    .filter(([path]) => path.startsWith('/v1/') && !path.startsWith('/v1/inbound/'))
    .flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({
        method: method.toUpperCase(),
        path: path
          .replace('{appId}', 'shop')
          .replace('{channel}', 'webhook')
          .replace(/\{[^}]+\}/g, 'x1'),
      })),
    );
});
afterAll(() => herald.stop());

const bodyFor = (path: string) =>
  path === '/v1/events'
    ? { type: 'x', app: 'shop' }
    : path === '/v1/events/batch'
      ? { events: [{ type: 'x', app: 'shop' }] }
      : path === '/v1/heartbeats'
        ? { server: 'web-1', app: 'shop' }
        : {};

describe('every /v1 route', () => {
  it('covers every route of the API', () => {
    expect(routes.length).toBeGreaterThanOrEqual(25);
  });

  it('answers 401 without a key, with a malformed key, an unknown key and a revoked key', async () => {
    for (const { method, path } of routes) {
      for (const key of [undefined, 'not-a-key', `hrd_app_${'x'.repeat(43)}`, revokedKey]) {
        const res = await herald.call(method, path, {
          ...(key ? { key } : {}),
          ...(method === 'POST' || method === 'PATCH' ? { body: bodyFor(path) } : {}),
        });
        expect(res.status, `${method} ${path} with ${key ?? 'no key'}`).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
      }
    }
  });

  it("answers 403 to another app's ingest key everywhere but the catalog and whoami (in a batch: each event)", async () => {
    for (const { method, path } of routes) {
      const res = await herald.call(method, path, {
        key: otherKey,
        ...(method === 'POST' || method === 'PATCH' ? { body: bodyFor(path) } : {}),
      });
      if (path === '/v1/event-types' || path === '/v1/whoami') expect(res.status).toBe(200);
      else if (path === '/v1/events/batch') {
        // Each event of a batch is answered on its own: this one is refused, the request is not.
        expect(res.status).toBe(207);
        expect(res.body.results[0]).toMatchObject({ index: 0, status: 403, error: { code: 'forbidden' } });
      } else {
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
    }
  });
});
