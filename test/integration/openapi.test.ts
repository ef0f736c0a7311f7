import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

let herald: TestHerald;
let receiver: Receiver;
let spec: any;
const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ strict: false, allErrors: true });
(addFormats as unknown as typeof addFormats.default)(ajv);

beforeAll(async () => {
  herald = await startTestHerald();
  receiver = await startReceiver();
  spec = (await herald.call('GET', '/openapi.json')).body;
  ajv.addSchema({ $id: 'herald', components: spec.components });
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

/** Check a real answer against the operation's declared response for its status. */
function conforms(method: string, path: string, res: { status: number; body: unknown }): void {
  const template = Object.keys(spec.paths).find((p) =>
    new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path.split('?')[0] as string),
  );
  expect(template, `no path in openapi.json for ${path}`).toBeDefined();
  const operation = spec.paths[template as string][method.toLowerCase()];
  expect(operation, `no ${method} ${template} in openapi.json`).toBeDefined();
  const response = operation.responses[String(res.status)];
  expect(response, `${method} ${template} does not declare ${res.status}`).toBeDefined();
  const schema = response.content?.['application/json']?.schema;
  if (!schema) {
    expect(res.body).toBeUndefined();
    return;
  }
  const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"herald#/components/')));
  expect(validate(res.body), `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 and describes every route of the API', () => {
    expect(spec.openapi).toBe('3.1.0');
    const operations = Object.entries(spec.paths).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`));
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /v1/apps',
        'GET /v1/apps',
        'GET /v1/apps/{appId}',
        'PATCH /v1/apps/{appId}',
        'DELETE /v1/apps/{appId}',
        'POST /v1/apps/{appId}/keys',
        'GET /v1/apps/{appId}/keys',
        'DELETE /v1/apps/{appId}/keys/{keyId}',
        'POST /v1/apps/{appId}/notifiers',
        'GET /v1/apps/{appId}/notifiers',
        'GET /v1/apps/{appId}/notifiers/{id}',
        'PATCH /v1/apps/{appId}/notifiers/{id}',
        'DELETE /v1/apps/{appId}/notifiers/{id}',
        'POST /v1/notifiers',
        'GET /v1/notifiers',
        'POST /v1/events',
        'GET /v1/apps/{appId}/events',
        'GET /v1/apps/{appId}/events/{eventId}',
        'GET /v1/dlq',
        'POST /v1/heartbeats',
        'POST /v1/apps/{appId}/notifiers/{id}/test',
        'POST /v1/dlq/{channel}/redrive',
        'GET /v1/apps/{appId}/deliveries',
        'GET /v1/event-types',
      ]),
    );
    // The request body of POST /v1/events is the zod schema that validates it.
    expect(spec.components.schemas.EventInput.required).toEqual(['type']);
  });

  it('matches what the API really answers, errors included', async () => {
    const admin = herald.adminKey;
    const steps: [string, string, Parameters<TestHerald['call']>[2]][] = [
      [
        'POST',
        '/v1/apps',
        {
          key: admin,
          body: { id: 'shop', name: 'Shop', owner: { email: 'o@example.com' }, metadata: { url: 'https://shop.example.com' } },
        },
      ],
      ['GET', '/v1/apps', { key: admin }],
      ['GET', '/v1/apps/shop', { key: admin }],
      ['PATCH', '/v1/apps/shop', { key: admin, body: { name: 'Shop!' } }],
      ['POST', '/v1/apps/shop/keys', { key: admin }],
      ['GET', '/v1/apps/shop/keys', { key: admin }],
      ['POST', '/v1/apps/shop/notifiers', { key: admin, body: { name: 'Hook', channel: 'webhook', target: { url: `${receiver.url}/h` } } }],
      ['GET', '/v1/apps/shop/notifiers', { key: admin }],
      ['POST', '/v1/events', { key: admin, body: { type: 'app_deployed', app: 'shop' } }],
      ['GET', '/v1/apps/shop/events', { key: admin }],
      ['GET', '/v1/apps/shop/deliveries', { key: admin }],
      ['GET', '/v1/event-types', { key: admin }],
      ['GET', '/v1/dlq', { key: admin }],
      ['POST', '/v1/heartbeats', { key: admin, body: { server: 'web-1', app: 'shop' } }],
      ['POST', '/v1/dlq/webhook/redrive', { key: admin }],
      ['GET', '/v1/apps/nope', { key: admin }],
      ['POST', '/v1/events', { key: admin, body: { type: 42, app: 'shop' } }],
      ['GET', '/v1/apps', {}],
    ];
    for (const [method, path, options] of steps) conforms(method, path, await herald.call(method, path, options));
    const events = await herald.call('GET', '/v1/apps/shop/events', { key: admin });
    const eventPath = `/v1/apps/shop/events/${events.body.events[0].id}`;
    conforms('GET', eventPath, await herald.call('GET', eventPath, { key: admin }));
  });
});
