import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';

let herald: TestHerald;
let ingestKey: string;
let otherKey: string;

beforeAll(async () => {
  herald = await startTestHerald();
  const shop = await herald.call('POST', '/v1/apps', {
    key: herald.adminKey,
    body: { id: 'shop', name: 'Shop', owner: { email: 'owner@example.com' } },
  });
  expect(shop.status).toBe(201);
  ingestKey = shop.body.apiKey;
  const other = await herald.call('POST', '/v1/apps', {
    key: herald.adminKey,
    body: { id: 'other', name: 'Other', owner: { email: 'o@example.com' } },
  });
  otherKey = other.body.apiKey;
});
afterAll(() => herald.stop());

const expectError = (res: { status: number; body: any }, status: number, code?: string) => {
  expect(res.status).toBe(status);
  expect(typeof res.body.error.message).toBe('string');
  if (code) expect(res.body.error.code).toBe(code);
};

describe('apps and keys', () => {
  it('creates an app with a key shown once, stored as a hash, and a default notifier', async () => {
    const created = await herald.call('POST', '/v1/apps', {
      key: herald.adminKey,
      body: { id: 'blog', name: 'Blog', owner: { email: 'me@example.com' }, metadata: { url: 'https://blog.example.com' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.apiKey).toMatch(/^hrd_app_[A-Za-z0-9_-]{43}$/);
    expect(created.body.key.prefix).toBe(created.body.apiKey.slice(0, 12));
    const keys = await herald.call('GET', '/v1/apps/blog/keys', { key: herald.adminKey });
    expect(JSON.stringify(keys.body)).not.toContain(created.body.apiKey);
    const notifiers = await herald.call('GET', '/v1/apps/blog/notifiers', { key: herald.adminKey });
    expect(notifiers.body.notifiers).toHaveLength(1);
    expect(notifiers.body.notifiers[0]).toMatchObject({ channel: 'email', target: { to: ['me@example.com'] } });
    expect(notifiers.body.notifiers[0].events).toEqual(expect.arrayContaining(['app_created', 'app_crashed', 'monitor.down']));
  });

  it('refuses a second app with the same id (409)', async () => {
    expectError(
      await herald.call('POST', '/v1/apps', {
        key: herald.adminKey,
        body: { id: 'shop', name: 'Again', owner: { email: 'x@example.com' } },
      }),
      409,
      'conflict',
    );
  });

  it('lists, reads, merge-patches and deletes apps', async () => {
    await herald.call('POST', '/v1/apps', {
      key: herald.adminKey,
      body: { id: 'tmp', name: 'Tmp', owner: { email: 't@example.com' }, metadata: { host: 'h1', url: 'https://t' } },
    });
    const patched = await herald.call('PATCH', '/v1/apps/tmp', { key: herald.adminKey, body: { name: 'Temp', metadata: { host: null } } });
    expect(patched.body.app).toMatchObject({ name: 'Temp', metadata: { url: 'https://t' } });
    expect(patched.body.app.metadata.host).toBeUndefined();
    const page1 = await herald.call('GET', '/v1/apps?limit=1', { key: herald.adminKey });
    expect(page1.body.apps).toHaveLength(1);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await herald.call('GET', `/v1/apps?limit=100&cursor=${page1.body.nextCursor}`, { key: herald.adminKey });
    expect(page2.body.apps.map((a: any) => a.id)).not.toContain(page1.body.apps[0].id);
    expect((await herald.call('DELETE', '/v1/apps/tmp', { key: herald.adminKey })).status).toBe(204);
    expectError(await herald.call('GET', '/v1/apps/tmp', { key: herald.adminKey }), 404, 'not_found');
  });

  it('refuses a revoked key from the next request on', async () => {
    const created = await herald.call('POST', '/v1/apps/shop/keys', { key: herald.adminKey });
    expect(created.status).toBe(201);
    const post = () => herald.call('POST', '/v1/events', { key: created.body.apiKey, body: { type: 'x' } });
    expect((await post()).status).toBe(202);
    expect((await herald.call('DELETE', `/v1/apps/shop/keys/${created.body.key.id}`, { key: herald.adminKey })).status).toBe(204);
    expectError(await post(), 401, 'unauthorized');
    const keys = await herald.call('GET', '/v1/apps/shop/keys', { key: herald.adminKey });
    expect(keys.body.keys.find((k: any) => k.id === created.body.key.id).revokedAt).toEqual(expect.any(String));
  });
});

describe('auth', () => {
  it('answers 401 without a key, with a malformed key or an unknown one', async () => {
    expectError(await herald.call('GET', '/v1/apps'), 401, 'unauthorized');
    expectError(await herald.call('GET', '/v1/apps', { key: 'nope' }), 401);
    expectError(await herald.call('GET', '/v1/apps', { key: `hrd_app_${'A'.repeat(43)}` }), 401);
    expectError(await herald.call('GET', '/v1/apps', { headers: { authorization: `Basic ${herald.adminKey}` } }), 401);
  });

  it('answers 403 to an ingest key on an admin route, or posting for another app', async () => {
    expectError(await herald.call('GET', '/v1/apps', { key: ingestKey }), 403, 'forbidden');
    expectError(
      await herald.call('POST', '/v1/apps/shop/notifiers', {
        key: ingestKey,
        body: { name: 'x', channel: 'email', target: { to: ['a@example.com'] } },
      }),
      403,
    );
    expectError(await herald.call('POST', '/v1/events', { key: otherKey, body: { type: 'x', app: 'shop' } }), 403);
  });

  it('lets the admin post for a named app, and any key read the catalog', async () => {
    expect((await herald.call('POST', '/v1/events', { key: herald.adminKey, body: { type: 'x', app: 'shop' } })).status).toBe(202);
    const types = await herald.call('GET', '/v1/event-types', { key: ingestKey });
    expect(types.body.eventTypes.find((t: any) => t.type === 'app_crashed')).toMatchObject({ category: 'crash', critical: true });
  });
});

describe('bad input changes nothing', () => {
  const notifierCount = async () =>
    (await herald.call('GET', '/v1/apps/shop/notifiers?limit=100', { key: herald.adminKey })).body.notifiers.length;
  const eventCount = async () => (await herald.call('GET', '/v1/apps/shop/events?limit=100', { key: herald.adminKey })).body.events.length;

  it.each([
    ['malformed JSON', { raw: '{"type": ', headers: { 'content-type': 'application/json' } }, 400, '(body)'],
    ['a missing type', { body: { title: 'no type' } }, 400, 'type'],
    ['a badly formed type', { body: { type: 'Has Spaces' } }, 400, 'type'],
    ['wrong types', { body: { type: 'x', severity: 'urgent', data: 'not an object' } }, 400, 'severity'],
    ['an unknown field', { body: { type: 'x', sevrity: 'info' } }, 400, ''],
    ['a 70 KiB body', { body: { type: 'x', message: 'a'.repeat(70 * 1024) } }, 413, undefined],
    ['a body that is not JSON', { raw: 'type=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, undefined],
  ])('refuses an event with %s', async (_what, request, status, path) => {
    const before = await eventCount();
    const res = await herald.call('POST', '/v1/events', { key: ingestKey, ...request });
    expectError(res, status);
    if (path !== undefined) expect(res.body.error.details.map((d: any) => d.path).join(' ')).toContain(path);
    expect(await eventCount()).toBe(before);
  });

  it.each([
    ['an unknown channel', { name: 'x', channel: 'pigeon', target: {} }, 'channel'],
    ['an invalid email address', { name: 'x', channel: 'email', target: { to: ['not-an-address'] } }, 'target.to.0'],
    ['an invalid phone number', { name: 'x', channel: 'sms', target: { to: ['+49 151'] } }, 'target.to.0'],
    ['a phone number no country uses', { name: 'x', channel: 'sms', target: { to: ['+4915112345678', '+15550000000'] } }, 'target.to.1'],
    ['a webhook URL that is not http(s)', { name: 'x', channel: 'webhook', target: { url: 'ftp://example.com/hook' } }, 'target.url'],
    ['a malformed secret', { name: 'x', channel: 'webhook', target: { url: 'https://example.com/h', secret: 'hunter2' } }, 'target.secret'],
    ['a bad selector', { name: 'x', channel: 'email', target: { to: ['a@example.com'] }, events: ['BAD TYPE'] }, 'events.0'],
  ])('refuses a notifier with %s, naming the field', async (_what, body, path) => {
    const before = await notifierCount();
    const res = await herald.call('POST', '/v1/apps/shop/notifiers', { key: herald.adminKey, body });
    expectError(res, 400, 'invalid_request');
    expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
    expect(await notifierCount()).toBe(before);
  });

  it('refuses a patch that would make a notifier invalid, and keeps it as it was', async () => {
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: {
        name: 'Hook',
        channel: 'webhook',
        target: { url: 'https://example.com/h', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      },
    });
    const id = created.body.notifier.id;
    const res = await herald.call('PATCH', `/v1/apps/shop/notifiers/${id}`, {
      key: herald.adminKey,
      body: { target: { url: 'gopher://x' } },
    });
    expectError(res, 400);
    expect(res.body.error.details[0].path).toBe('target.url');
    const after = await herald.deps.notifiers.get('shop', id);
    expect(after?.target).toEqual({ url: 'https://example.com/h', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
  });

  it('refuses a patch to a phone number no country uses (a notifier and a contact), and keeps them as they were', async () => {
    const text = { channel: 'sms', target: { to: ['+4915112345678'] } };
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', { key: herald.adminKey, body: { name: 'Texts', ...text } });
    const id = created.body.notifier.id;
    const res = await herald.call('PATCH', `/v1/apps/shop/notifiers/${id}`, {
      key: herald.adminKey,
      body: { target: { to: ['+15550000000'] } },
    });
    expectError(res, 400, 'invalid_request');
    expect(res.body.error.details.map((d: any) => [d.path, d.message])).toEqual([['target.to.0', 'is not a valid phone number']]);
    expect((await herald.deps.notifiers.get('shop', id))?.target).toEqual(text.target);

    const contact = await herald.call('POST', '/v1/apps/shop/contacts', { key: herald.adminKey, body: { name: 'Ola', channels: [text] } });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const contactId = contact.body.contact.id;
    const patched = await herald.call('PATCH', `/v1/apps/shop/contacts/${contactId}`, {
      key: herald.adminKey,
      body: { channels: [{ channel: 'sms', target: { to: ['+15550000000'] } }] },
    });
    expectError(patched, 400, 'invalid_request');
    expect(patched.body.error.details.map((d: any) => d.path)).toEqual(['channels.0.target.to.0']);
    const kept = await herald.call('GET', `/v1/apps/shop/contacts/${contactId}`, { key: herald.adminKey });
    expect(kept.body.contact.channels.map((c: any) => [c.channel, c.target])).toEqual([[text.channel, text.target]]);
  });

  it('refuses a bad cursor and a bad limit with 400', async () => {
    expectError(await herald.call('GET', '/v1/apps?cursor=garbage', { key: herald.adminKey }), 400);
    expectError(await herald.call('GET', '/v1/apps?limit=0', { key: herald.adminKey }), 400);
  });
});

describe('notifiers', () => {
  it('masks secrets in every answer and keeps an omitted secret on patch', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'Signed', channel: 'webhook', target: { url: 'https://example.com/h?token=abc', secret } },
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain(secret.slice(6));
    expect(JSON.stringify(created.body)).not.toContain('token=abc');
    const id = created.body.notifier.id;
    const patched = await herald.call('PATCH', `/v1/apps/shop/notifiers/${id}`, {
      key: herald.adminKey,
      body: { name: 'Renamed', events: ['monitor.*'], minSeverity: 'warning' },
    });
    expect(patched.body.notifier).toMatchObject({ name: 'Renamed', events: ['monitor.*'], minSeverity: 'warning' });
    expect((await herald.deps.notifiers.get('shop', id))?.target?.['secret']).toBe(secret);
    const read = await herald.call('GET', `/v1/apps/shop/notifiers/${id}`, { key: herald.adminKey });
    expect(read.body.notifier.target.secret).toBe('whsec_****');
    expect((await herald.call('DELETE', `/v1/apps/shop/notifiers/${id}`, { key: herald.adminKey })).status).toBe(204);
    expectError(await herald.call('GET', `/v1/apps/shop/notifiers/${id}`, { key: herald.adminKey }), 404);
  });

  it('keeps global notifiers apart under /v1/notifiers', async () => {
    const created = await herald.call('POST', '/v1/notifiers', {
      key: herald.adminKey,
      body: { name: 'All crashes', channel: 'email', target: { to: ['sre@example.com'] }, events: ['@crash'] },
    });
    expect(created.body.notifier.appId).toBe('*');
    const list = await herald.call('GET', '/v1/notifiers', { key: herald.adminKey });
    expect(list.body.notifiers.map((n: any) => n.id)).toContain(created.body.notifier.id);
    const own = await herald.call('GET', '/v1/apps/shop/notifiers?limit=100', { key: herald.adminKey });
    expect(own.body.notifiers.map((n: any) => n.id)).not.toContain(created.body.notifier.id);
    await herald.call('DELETE', `/v1/notifiers/${created.body.notifier.id}`, { key: herald.adminKey });
  });
});

describe('idempotent ingest', () => {
  it('answers a repeated Idempotency-Key with the first answer and duplicate: true', async () => {
    const headers = { 'idempotency-key': `k-${Date.now()}` };
    const first = await herald.call('POST', '/v1/events', { key: ingestKey, body: { type: 'app_crashed', title: 'a' }, headers });
    const again = await herald.call('POST', '/v1/events', { key: ingestKey, body: { title: 'a', type: 'app_crashed' }, headers });
    expect(first.status).toBe(202);
    expect(first.body.duplicate).toBe(false);
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    const conflicting = await herald.call('POST', '/v1/events', { key: ingestKey, body: { type: 'app_crashed', title: 'b' }, headers });
    expectError(conflicting, 409, 'conflict');
  });

  it("uses the event's id when there is no header", async () => {
    const body = { type: 'app_deployed', id: `deploy-${Date.now()}` };
    const first = await herald.call('POST', '/v1/events', { key: ingestKey, body });
    const again = await herald.call('POST', '/v1/events', { key: ingestKey, body });
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    const events = await herald.call('GET', '/v1/apps/shop/events?limit=100', { key: herald.adminKey });
    expect(events.body.events.filter((e: any) => e.id === first.body.eventId)).toHaveLength(1);
  });
});
