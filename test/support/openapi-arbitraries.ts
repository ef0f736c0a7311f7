import fc from 'fast-check';

/**
 * Requests for a fuzz test of an API, built from its openapi.json: bodies of each route's own
 * schema with one hostile value put in, bodies of other types, none, malformed JSON, and odd
 * query strings. Hostile numbers travel as their JSON text, spliced in by `serialize`:
 * JSON.stringify cannot write 9007199254740993 or 1e999.
 */

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

/** A body and its Content-Type. */
export type Body = { raw?: string; type?: string };

/**
 * The arbitraries that read the document (schemas refer to its components). A body field that
 * names an app (`app`, `appId`) mostly names `appId`, the one the test's keys are for, so that
 * the rest of the body is what gets tried.
 */
export function openapiArbitraries(spec: any, { appId }: { appId: string }) {
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

  const property = (key: string, schema: any, depth: number): fc.Arbitrary<unknown> =>
    key === 'app' || key === 'appId'
      ? fc.oneof({ weight: 3, arbitrary: fc.constant(appId) }, fromSchema(schema, depth))
      : fromSchema(schema, depth);

  /** A body of the schema, mostly with one hostile value put in at a random place. */
  const hostileBody = (schema: any) =>
    fc.oneof(fromSchema(schema), {
      weight: 3,
      arbitrary: fc.tuple(fromSchema(schema), fc.nat(), hostileValue).map(([v, n, h]) => replaceNode(v, n, h)),
    });

  /** One body of each variant of a union body (each channel of a notifier), as its schema states it: every variant is tried each run. */
  const variantExamples = (schema: any): unknown[] =>
    ((schema?.$ref ? component(schema.$ref) : schema)?.oneOf ?? []).flatMap((variant: any) => fc.sample(fromSchema(variant), 1));

  /** A body and its content type: none, an empty one, one of another type, malformed JSON, or JSON (the route's schema, or anything). */
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

  return {
    body,
    variantExamples: (schema: any): Body[] => variantExamples(schema).map((b) => ({ raw: serialize(b), type: 'application/json' })),
  };
}

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
/** A query string of the list parameters (and one no route takes), with odd values and forged cursors. */
export const query = fc
  .dictionary(fc.constantFrom('limit', 'cursor', 'status', 'notifierId', 'eventId', 'x'), queryValue, { maxKeys: 3 })
  .map((q) => (Object.keys(q).length ? `?${new URLSearchParams(q).toString()}` : ''));
