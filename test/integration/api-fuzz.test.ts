import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/api/api.js';
import type { ApiDeps } from '../../shared/services/deps.js';
import { startTestHerald, storedItems, type TestHerald } from '../support/herald.js';
import { openapiArbitraries, query, type Body } from '../support/openapi-arbitraries.js';

/**
 * Every route of openapi.json, thrown random and hostile requests: path ids of any length,
 * bodies built from the route's own schema with hostile values mixed in (numbers JavaScript
 * cannot hold, URLs that do not parse, 3,000-character strings), no body, bodies in other
 * content types, and odd query strings. Whatever comes in: never a 5xx, a refusal in the
 * error shape (a page, for the pages of acknowledge links) with a status the route declares, and a refused request changes nothing
 * Herald stores.
 */

// The routes as openapi.json describes them (built from the same declarations as the served one).
const spec = createApi({} as ApiDeps).getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Herald', version: '1' } }) as any;
const { body, variantExamples } = openapiArbitraries(spec, { appId: 'shop' });
const operations = Object.entries<any>(spec.paths).flatMap(([path, ops]) =>
  Object.entries<any>(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
);

let herald: TestHerald;
let dynamodb: DynamoDBClient;
let ingestKey: string;
const known: Record<string, string> = {};

beforeAll(async () => {
  herald = await startTestHerald();
  dynamodb = new DynamoDBClient({ region: herald.config.region, endpoint: herald.emulators.dynamodb });
  ingestKey = await herald.createApp('shop', {
    notifiers: [{ name: 'Hook', channel: 'webhook', target: { url: 'http://127.0.0.1:9/hook' } }],
  });
  await herald.createApp('spare');
  const admin = { key: herald.adminKey };
  known['id'] = (await herald.call('GET', '/v1/apps/shop/notifiers', admin)).body.notifiers[0].id;
  known['globalId'] = (
    await herald.call('POST', '/v1/notifiers', { ...admin, body: { name: 'G', channel: 'email', target: { to: ['g@example.com'] } } })
  ).body.notifier.id;
  known['eventId'] = (await herald.call('POST', '/v1/events', { key: ingestKey, body: { type: 'app_deployed' } })).body.eventId;
  known['keyId'] = (await herald.call('GET', '/v1/apps/shop/keys', admin)).body.keys[0].id;
});
afterAll(() => herald.stop());

/** The id a path parameter may take that names something: not for deletes (they would remove what other runs use), nor for a test send (it waits for a delivery nobody feeds). */
function knownId(name: string, method: string, path: string): string | undefined {
  if (method === 'DELETE' || path.endsWith('/test')) return undefined;
  const ids: Record<string, string | undefined> = {
    appId: method === 'PATCH' ? 'spare' : 'shop',
    id: path.startsWith('/v1/notifiers') ? known['globalId'] : known['id'],
    eventId: known['eventId'],
    keyId: known['keyId'],
    channel: 'webhook',
  };
  return ids[name];
}

/** A path parameter: one that names something, garbage, or hostile (3,000 characters...). */
function pathParam(name: string, method: string, path: string): fc.Arbitrary<string> {
  const hostile = fc.oneof(
    fc.constantFrom('a'.repeat(3000), 'é'.repeat(600), 'x'.repeat(129), '..', '%', '*', '__proto__', ' ', '🚀', '\u0000', 'a#b'),
    fc.string({ minLength: 1000, maxLength: 1500 }),
  );
  const garbage = fc.string({ minLength: 1, maxLength: 20 });
  const id = knownId(name, method, path);
  const naming = id ? [{ weight: 3, arbitrary: fc.constant(id) }] : [];
  return fc.oneof(...naming, { weight: 2, arbitrary: hostile }, { weight: 1, arbitrary: garbage }).map(encodeURIComponent);
}

// A connection per request: a kept-alive one may be closed by the server just as the next request reuses it (ECONNRESET).
const fresh = { connection: 'close' };

/** What Herald stores; the events-per-minute counters left out: they count the attempts of a minute, refused ones (a 409, a 429) included. */
const stored = () => storedItems(dynamodb, herald.config.tableName, 'CNT#QUOTA#');

type Request = { params: string[]; query: string; body: Body; key: 'admin' | 'ingest' | 'none' | 'bogus'; idempotencyKey: string | null };

describe('fuzz: every route of openapi.json', () => {
  it.each(operations.map((o) => [`${o.method} ${o.path}`, o] as const))(
    '%s: never a 5xx; a refusal changes nothing',
    async (_name, { method, path, op }) => {
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
      const defaultKey = path === '/v1/events' || path === '/v1/heartbeats' ? 'ingest' : 'admin';
      const request: fc.Arbitrary<Request> = fc.record({
        params: fc.tuple(...params.map((p) => pathParam(p, method, path))),
        query,
        body: method === 'GET' || method === 'DELETE' ? fc.constant<Body>({}) : body(op),
        key: fc.oneof({ weight: 8, arbitrary: fc.constant(defaultKey) }, fc.constantFrom('admin', 'none', 'bogus')),
        idempotencyKey: fc.option(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('a'.repeat(3000), 'a key', '"x"', 'ü')), {
          freq: 3,
        }),
      });
      const examples = variantExamples(op.requestBody?.content?.['application/json']?.schema).map((b): [Request] => [
        {
          params: params.map((p) => encodeURIComponent(knownId(p, method, path) ?? 'x')),
          query: '',
          body: b,
          key: defaultKey,
          idempotencyKey: null,
        },
      ]);
      const mutates = method !== 'GET';
      // What is stored, as of the last request that was not refused.
      let state = mutates ? await stored() : '';
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let url = path;
          params.forEach((p, i) => (url = url.replace(`{${p}}`, r.params[i] as string)));
          const key = { admin: herald.adminKey, ingest: ingestKey, bogus: 'hrd_app_nope', none: undefined }[r.key];
          const headers: Record<string, string> = {
            ...(r.body.type ? { 'content-type': r.body.type } : {}),
            ...(r.idempotencyKey !== null ? { 'idempotency-key': r.idempotencyKey } : {}),
          };
          const sent = `${method} ${url.slice(0, 120)}${r.query.slice(0, 60)} ${r.body.type ?? ''} ${(r.body.raw ?? '').slice(0, 300)}`;
          const res = await fetch(`${herald.url}${url}${r.query}`, {
            method,
            headers: { ...headers, ...fresh, ...(key ? { authorization: `Bearer ${key}` } : {}) },
            ...(r.body.raw !== undefined ? { body: r.body.raw } : {}),
          }).catch((err: unknown) => {
            throw new Error(`${sent} → no answer: ${(err as Error & { cause?: Error }).cause?.message ?? err}`);
          });
          const text = await res.text();
          const what = `${sent} → ${res.status} ${text.slice(0, 300)}`;
          expect(res.status, what).toBeLessThan(500);
          if (res.status < 400) {
            if (mutates) state = await stored();
            return;
          }
          // A page for a person (a message's acknowledge link) refuses with a page; the API in the error shape.
          if (!res.headers.get('content-type')?.startsWith('text/html')) {
            const answer = JSON.parse(text);
            expect(typeof answer.error?.code === 'string' && typeof answer.error?.message === 'string', what).toBe(true);
          }
          expect(Object.keys(op.responses), `${what}: a status openapi.json does not declare`).toContain(String(res.status));
          if (mutates) expect(await stored(), `${what}: the refused request changed what is stored`).toBe(state);
        }),
        // A failure is reported as found (the message holds its request): shrinking through the API would take minutes.
        { numRuns: op.requestBody ? 20 : 8, endOnFailure: true, examples },
      );
    },
  );
});
