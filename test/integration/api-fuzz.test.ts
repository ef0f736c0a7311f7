import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/api/api.js';
import type { ApiDeps } from '../../shared/services/deps.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * Every route of openapi.json, thrown random and hostile requests: path ids of any length,
 * bodies built from the route's own schema with hostile values mixed in (numbers JavaScript
 * cannot hold, URLs that do not parse, 3,000-character strings), no body, bodies in other
 * content types, and odd query strings. Whatever comes in: never a 5xx, a refusal in the
 * error shape with a status the route declares, and a refused request changes nothing
 * Herald stores.
 */

// The routes as openapi.json describes them (built from the same declarations as the served one).
const spec = createApi({} as ApiDeps).getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Herald', version: '1' } }) as any;
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

/** Numbers as their JSON text, spliced in after JSON.stringify: the ones JavaScript and DynamoDB each fail to hold. */
const RAW = '\u2063raw:';
const rawNumber = fc
  .constantFrom(
    '1e300',
    '-1e300',
    '1e-300',
    '9007199254740993',
    '-9007199254740993',
    '1e999',
    '-1e999',
    '1e-400',
    '1E+308',
    '-0',
    '12345678901234567890123',
  )
  .map((n) => `${RAW}${n}`);
const serialize = (value: unknown): string => JSON.stringify(value).replace(new RegExp(`"${RAW}([^"]*)"`, 'g'), '$1');

const hostileString = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\ud800',
  'deploy 🚀',
  'a'.repeat(3000),
  '****',
  'https://hooks.slack.com/services/T000/B000/****',
  '__proto__',
  'not a url',
  'http://[::1',
  '{{ 7 * 7 }}{% raw %}',
  'https://chat.googleapis.com/v1/spaces/AAA/messages',
);
const hostileValue = fc.oneof(rawNumber, hostileString, fc.constant(null), fc.jsonValue({ maxDepth: 1 }));
/** Where a schema takes any JSON (`data`, `source`): an object whose values are often hostile. */
const freeObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(rawNumber, hostileString, fc.jsonValue({ maxDepth: 2 })), {
  maxKeys: 4,
});
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 2 }), freeObject);

const component = (ref: string): any => spec.components.schemas[ref.split('/').at(-1) as string];

/** A value that fits the schema as openapi.json states it (the refinements it cannot state aside). */
function fromSchema(schema: any, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return fromSchema(component(schema.$ref), depth);
  if (schema.allOf) return fromSchema(Object.assign({}, ...schema.allOf.map((s: any) => (s.$ref ? component(s.$ref) : s))), depth);
  const options = schema.oneOf ?? schema.anyOf;
  if (options) return fc.oneof(...options.map((o: any) => fromSchema(o, depth)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (depth > 5) return anyJson;
  switch (type) {
    case 'string':
      if (schema.format === 'email') return fc.constantFrom('ops@example.com', 'a@b.example');
      if (schema.format === 'date-time')
        return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object':
      if (!schema.properties) {
        // A record of a given value type (templates, metadata); free JSON (`data`, `source`) otherwise.
        const values = schema.additionalProperties;
        if (!values || typeof values !== 'object' || Object.keys(values).length === 0) return freeObject;
        const keys = schema.propertyNames?.pattern
          ? fc.stringMatching(new RegExp(schema.propertyNames.pattern))
          : fc.string({ maxLength: 12 });
        return fc.dictionary(keys, fromSchema(values, depth + 1), { maxKeys: 3 });
      }
      return fc.record(Object.fromEntries(Object.entries<any>(schema.properties).map(([k, s]) => [k, property(k, s, depth + 1)])), {
        requiredKeys: schema.required ?? [],
      });
    default:
      return anyJson;
  }
}

/** A field of an object: one that names an app mostly names the one the key is for, so that the rest of the body is what gets tried. */
const property = (key: string, schema: any, depth: number): fc.Arbitrary<unknown> =>
  key === 'app' || key === 'appId'
    ? fc.oneof({ weight: 3, arbitrary: fc.constant('shop') }, fromSchema(schema, depth))
    : fromSchema(schema, depth);

/** The value with its nth node (counting every value inside it, depth first) replaced. */
function replaceNode(value: unknown, n: number, by: unknown): unknown {
  let seen = -1;
  const walk = (v: unknown): unknown => {
    if (++seen === n) return by;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, c]) => [k, walk(c)]));
    return v;
  };
  return walk(value);
}

/** A body of the schema, mostly with one hostile value put in at a random place. */
const hostileBody = (schema: any) =>
  fc.oneof(fromSchema(schema), {
    weight: 3,
    arbitrary: fc.tuple(fromSchema(schema), fc.nat(), hostileValue).map(([v, n, h]) => replaceNode(v, n, h)),
  });

/** One body per variant of a union body (each channel of a notifier): every variant is tried each run. */
const variantExamples = (schema: any): unknown[] => (schema?.oneOf ?? []).flatMap((variant: any) => fc.sample(hostileBody(variant), 1));

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

const cursor = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc
    .constantFrom('{"pk":1e300}', '{"pk":{"a":"b"}}', '{"pk":"EVT#other","sk":"x"}', `{"pk":"${'a'.repeat(3000)}"}`, '[]', 'null')
    .map((j) => Buffer.from(j).toString('base64url')),
);
const queryValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('0', '-1', '5', '101', '1e999', 'NaN', 'a'.repeat(1000), 'sent'),
  cursor,
);
const query = fc
  .dictionary(fc.constantFrom('limit', 'cursor', 'status', 'notifierId', 'eventId', 'x'), queryValue, { maxKeys: 3 })
  .map((q) => (Object.keys(q).length ? `?${new URLSearchParams(q).toString()}` : ''));

/** A body and its content type: none, an empty one, one of another type, malformed JSON, or JSON (the route's schema, or anything). */
type Body = { raw?: string; type?: string };
function body(op: any): fc.Arbitrary<Body> {
  const schema = op.requestBody?.content?.['application/json']?.schema;
  const json = schema ? hostileBody(schema).map(serialize) : anyJson.map(serialize);
  return fc.oneof(
    fc.constant<Body>({}),
    fc
      .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json')
      .map((type): Body => ({ raw: '', type })),
    fc.record({
      raw: fc.string({ minLength: 1, maxLength: 30 }),
      type: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'text/json'),
    }),
    fc.record({ raw: fc.constantFrom('{', '{"type":', 'nul', '[1,]', '{"a":1}}'), type: fc.constant('application/json') }),
    { weight: 6, arbitrary: json.map((raw): Body => ({ raw, type: 'application/json' })) },
  );
}

// A connection per request: a kept-alive one may be closed by the server just as the next request reuses it (ECONNRESET).
const fresh = { connection: 'close' };

/**
 * Everything Herald stores, as one string. The events-per-minute counters are left out: they
 * count the attempts of a minute, refused ones (a 409, a 429) included.
 */
async function stored(): Promise<string> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: herald.config.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []).filter((i) => !String(i['pk']?.S).startsWith('CNT#QUOTA#')));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}

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
          body: { raw: serialize(b), type: 'application/json' },
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
          const answer = JSON.parse(text);
          expect(typeof answer.error?.code === 'string' && typeof answer.error?.message === 'string', what).toBe(true);
          expect(Object.keys(op.responses), `${what}: a status openapi.json does not declare`).toContain(String(res.status));
          if (mutates) expect(await stored(), `${what}: the refused request changed what is stored`).toBe(state);
        }),
        // A failure is reported as found (the message holds its request): shrinking through the API would take minutes.
        { numRuns: op.requestBody ? 25 : 8, endOnFailure: true, examples },
      );
    },
  );
});
