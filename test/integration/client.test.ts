import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldApi, HeraldApiError } from '@herald/client';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/** The typed core of the client against a real api: answers typed from openapi.json, errors thrown with their fields. */
let herald: TestHerald;
let api: HeraldApi;

beforeAll(async () => {
  herald = await startTestHerald();
  api = new HeraldApi({ url: herald.url, key: () => herald.adminKey });
});
afterAll(() => herald.stop());

describe('HeraldApi', () => {
  it('calls a route with its path parameters, query and body, and answers its JSON', async () => {
    const created = await api.post('/v1/apps', { body: { id: 'typed', name: 'Typed 🛒', owner: { email: 'o@typed.example' } } });
    expect(created.app.name).toBe('Typed 🛒');
    expect(created.apiKey).toMatch(/^hrd_app_/);
    const read = await api.get('/v1/apps/{appId}', { path: { appId: 'typed' } });
    expect(read.app.owner.email).toBe('o@typed.example');
    const page = await api.get('/v1/apps', { query: { limit: 1 } });
    expect(page.apps).toHaveLength(1);
    expect(await api.delete('/v1/apps/{appId}', { path: { appId: 'typed' } })).toBeUndefined();
  });

  it('throws what Herald refused: the status, the code and the field at fault', async () => {
    const refused = await api.post('/v1/apps', { body: { id: 'Not A Slug', name: 'x', owner: { email: 'o@x.example' } } }).catch((e) => e);
    expect(refused).toBeInstanceOf(HeraldApiError);
    expect(refused).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(refused.details.map((d: { path: string }) => d.path)).toContain('id');
    const missing = await api.get('/v1/apps/{appId}', { path: { appId: 'nope' } }).catch((e) => e);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
  });

  it("GET /v1/whoami answers a key's scope, and an ingest key's app", async () => {
    expect(await api.get('/v1/whoami', {})).toEqual({ scope: 'admin' });
    const created = await api.post('/v1/apps', { body: { id: 'who', name: 'Who', owner: { email: 'o@who.example' } } });
    const asApp = new HeraldApi({ url: herald.url, key: created.apiKey });
    expect(await asApp.get('/v1/whoami', {})).toEqual({ scope: 'ingest', appId: 'who', keyId: created.key.id });
    const anonymous = await new HeraldApi({ url: herald.url }).get('/v1/whoami', {}).catch((e) => e);
    expect(anonymous).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('is typed by openapi.json: the compiler refuses a path, a parameter or a field the API does not have', () => {
    const typos = () => [
      // @ts-expect-error a path the API does not have
      api.get('/v1/applications', {}),
      // @ts-expect-error the path parameter is appId
      api.get('/v1/apps/{appId}', { path: { app: 'x' } }),
      // @ts-expect-error an app has no colour
      api.post('/v1/apps', { body: { id: 'x', name: 'x', owner: { email: 'o@x.example' }, colour: 'red' } }),
    ];
    expect(typeof typos).toBe('function');
  });
});
