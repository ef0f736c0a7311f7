import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';

let herald: TestHerald;
let key: string;

beforeAll(async () => {
  herald = await startTestHerald();
  key = await herald.createApp('shop');
});
afterAll(() => herald.stop());

const eventCount = async () => {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page: any = await herald.call('GET', `/v1/apps/shop/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
      key: herald.adminKey,
    });
    n += page.body.events.length;
    cursor = page.body.nextCursor;
  } while (cursor);
  return n;
};
const notifierCount = async () =>
  (await herald.call('GET', '/v1/apps/shop/notifiers?limit=100', { key: herald.adminKey })).body.notifiers.length;
const postEvent = (raw: string) => herald.call('POST', '/v1/events', { key, raw, headers: { 'content-type': 'application/json' } });

describe('hostile input', () => {
  it.each([
    ['a __proto__ key', '{"type":"x","data":{"__proto__":{"admin":true}}}', 'data.__proto__'],
    ['a constructor key', '{"type":"x","data":{"a":{"constructor":{"prototype":1}}}}', 'data.a.constructor'],
    ['a prototype key', '{"type":"x","source":{"prototype":"x"}}', 'source.prototype'],
    ['nesting 40 deep', `{"type":"x","data":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`, 'data.a'],
    ['a NUL in the title', '{"type":"x","title":"a\\u0000b"}', 'title'],
    ['an escape sequence in a data key', '{"type":"x","data":{"\\u001b[31m":"red"}}', 'data'],
  ])('refuses %s with 400 and stores nothing', async (_what, raw, path) => {
    const before = await eventCount();
    const res = await postEvent(raw);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toContain(path);
    expect(await eventCount()).toBe(before);
  });

  it('takes tabs and line breaks in free text', async () => {
    expect((await postEvent('{"type":"x","message":"line 1\\nline 2\\tend\\r\\n"}')).status).toBe(202);
  });
});

describe('numbers in data and source', () => {
  it('keeps 1e300 and 1e-300, which DynamoDB cannot store as numbers, exactly', async () => {
    const res = await postEvent('{"type":"x","data":{"big":1e300,"tiny":1e-300,"deep":{"list":[-1e308]}},"source":{"load":5e-324}}');
    expect(res.status).toBe(202);
    const read = await herald.call('GET', `/v1/apps/shop/events/${res.body.eventId}`, { key: herald.adminKey });
    expect(read.body.event.data).toEqual({ big: 1e300, tiny: 1e-300, deep: { list: [-1e308] } });
    expect(read.body.event.source).toEqual({ load: 5e-324 });
  });

  it.each([
    ['an integer beyond 2^53', '{"type":"x","data":{"big":9007199254740993}}', 'data.big', '9007199254740992'],
    ['a number that overflows', '{"type":"x","source":{"x":[1,1e999]}}', 'source.x.1', 'Infinity'],
    ['a number that underflows', '{"type":"x","data":{"t":1e-400}}', 'data.t', 'become 0'],
  ])('refuses %s with 400 naming its path, and says to send it as a string', async (_what, raw, path, becomes) => {
    const before = await eventCount();
    const res = await postEvent(raw);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toEqual({ path, message: expect.stringMatching(new RegExp(`${becomes}.*send it as a string`)) });
    expect(await eventCount()).toBe(before);
  });
});

describe('bodies that are missing or not JSON', () => {
  const post = (path: string, headers: Record<string, string>, raw?: string) =>
    herald.call('POST', path, { key: path === '/v1/events' ? key : herald.adminKey, headers, ...(raw !== undefined ? { raw } : {}) });

  it.each(['/v1/events', '/v1/apps/shop/notifiers', '/v1/notifiers'])(
    '%s: no body is 400 naming (body); a non-JSON one 415',
    async (path) => {
      const before = [await eventCount(), await notifierCount()];
      for (const [headers, raw] of [
        [{}, undefined],
        [{ 'content-type': 'text/plain' }, ''],
        [{ 'content-type': 'application/x-www-form-urlencoded' }, ''],
      ] as const) {
        const res = await post(path, headers, raw);
        expect(res.status, JSON.stringify(headers)).toBe(400);
        expect(res.body.error.details).toEqual([{ path: '(body)', message: 'is required' }]);
      }
      for (const [type, raw] of [
        ['text/plain', '{"type":"x"}'],
        ['application/x-www-form-urlencoded', 'type=x&name=y'],
        ['multipart/form-data; boundary=b', '--b--'],
      ] as const) {
        const res = await post(path, { 'content-type': type }, raw);
        expect(res.status, type).toBe(415);
        expect(res.body.error.code).toBe('unsupported_media_type');
      }
      expect([await eventCount(), await notifierCount()]).toEqual(before);
    },
  );

  it('takes a POST that needs no body without one, whatever its content type', async () => {
    expect((await post('/v1/apps/shop/keys', { 'content-type': 'text/plain' }, '')).status).toBe(201);
  });
});

describe('a Google Chat URL that does not parse', () => {
  it('is refused with 400 naming target.url', async () => {
    const res = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'Chat', channel: 'google_chat', target: { url: 'chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual({ path: 'target.url', message: 'must be an http(s) URL' });
  });
});

describe('ids in paths', () => {
  it.each([
    ['GET', '/v1/apps/{long}', 'appId'],
    ['PATCH', '/v1/apps/{long}', 'appId'],
    ['DELETE', '/v1/apps/{long}', 'appId'],
    ['GET', '/v1/apps/{long}/deliveries', 'appId'],
    ['GET', '/v1/apps/shop/events/{long}', 'eventId'],
    ['DELETE', '/v1/apps/shop/keys/{long}', 'keyId'],
    ['GET', '/v1/apps/shop/notifiers/{long}', 'id'],
    ['PATCH', '/v1/apps/shop/notifiers/{long}', 'id'],
    ['POST', '/v1/apps/shop/notifiers/{long}/test', 'id'],
    ['DELETE', '/v1/notifiers/{long}', 'id'],
    ['POST', '/v1/notifiers/{long}/secret', 'id'],
    ['POST', '/v1/dlq/{long}/redrive', 'channel'],
  ])('%s %s, the id 3,000 characters long: 400 naming the parameter', async (method, template, param) => {
    const res = await herald.call(method, template.replace('{long}', 'a'.repeat(3000)), {
      key: herald.adminKey,
      ...(method === 'PATCH' ? { body: { name: 'x' } } : {}),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: param, message: expect.stringContaining('at most 128 characters') }]);
  });

  it('answers 404 for an id of a sane size that names nothing', async () => {
    expect((await herald.call('GET', `/v1/apps/shop/notifiers/ntf_${'z'.repeat(100)}`, { key: herald.adminKey })).status).toBe(404);
  });

  it('refuses a cursor Herald did not make with 400', async () => {
    for (const forged of ['{"pk":1e300}', '{"pk":{"S":"x"}}', `{"pk":"${'a'.repeat(3000)}"}`]) {
      const cursor = Buffer.from(forged).toString('base64url');
      const res = await herald.call('GET', `/v1/apps/shop/notifiers?cursor=${cursor}`, { key: herald.adminKey });
      expect(res.status, forged).toBe(400);
      expect(res.body.error.details[0].path).toBe('cursor');
    }
  });
});

describe('a state named by a long string', () => {
  it('is tracked like a short one: the first status is sent, its repeat is not', async () => {
    const created = await herald.call('POST', '/v1/apps/shop/notifiers', {
      key: herald.adminKey,
      body: { name: 'Checks', channel: 'webhook', target: { url: 'http://127.0.0.1:9/checks' }, events: ['check.status_changed'] },
    });
    const check = { type: 'check.status_changed', data: { check: 'c'.repeat(3000), status: 'ERROR' } };
    const first = await herald.call('POST', '/v1/events', { key, body: check });
    const repeat = await herald.call('POST', '/v1/events', { key, body: check });
    expect([first.status, repeat.status]).toEqual([202, 202]);
    const deliveriesOf = async (eventId: string) =>
      (await herald.call('GET', `/v1/apps/shop/events/${eventId}`, { key: herald.adminKey })).body.deliveries.map((d: any) => d.notifierId);
    expect(await deliveriesOf(first.body.eventId)).toContain(created.body.notifier.id);
    expect(await deliveriesOf(repeat.body.eventId)).toEqual([]);
    await herald.call('DELETE', `/v1/apps/shop/notifiers/${created.body.notifier.id}`, { key: herald.adminKey });
  });
});

describe('property: whatever the input, a 2xx or a 4xx with the error shape, never a 5xx, never half-stored', () => {
  const errorShape = (body: any) => typeof body?.error?.code === 'string' && typeof body?.error?.message === 'string';
  const text = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('app_deployed', 'monitor.down', '__proto__', '', 'a'.repeat(200), '\u0000', '{{ x }}'),
  );

  it('POST /v1/events', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.record(
        {
          type: text,
          severity: fc.oneof(text, fc.constantFrom('info', 'warning', 'critical')),
          title: fc.jsonValue(),
          message: text,
          data: fc.jsonValue({ maxDepth: 3 }),
          occurredAt: fc.oneof(
            text,
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          ),
          id: text,
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const before = await eventCount();
        const res = await postEvent(JSON.stringify(value) ?? '');
        expect(res.status).not.toBeGreaterThanOrEqual(500);
        if (res.status === 202) expect(await eventCount()).toBe(before + 1);
        else {
          expect([400, 409, 413, 415]).toContain(res.status);
          expect(errorShape(res.body)).toBe(true);
          expect(await eventCount()).toBe(before);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('POST /v1/apps/{appId}/notifiers', async () => {
    const target = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.record({ to: fc.array(fc.oneof(text, fc.constantFrom('ops@example.com', '+4915112345678')), { maxLength: 3 }) }),
      fc.record(
        { url: fc.oneof(text, fc.constantFrom('https://example.com/h', 'ftp://x', 'http://127.0.0.1/x')), secret: text },
        { requiredKeys: ['url'] },
      ),
    );
    const body = fc.record(
      {
        name: text,
        channel: fc.oneof(text, fc.constantFrom('email', 'sms', 'slack', 'webhook')),
        target,
        events: fc.array(text, { maxLength: 3 }),
        minSeverity: text,
        enabled: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const before = await notifierCount();
        const res = await herald.call('POST', '/v1/apps/shop/notifiers', { key: herald.adminKey, body: value });
        expect(res.status).not.toBeGreaterThanOrEqual(500);
        if (res.status === 201) {
          const read = await herald.call('GET', `/v1/apps/shop/notifiers/${res.body.notifier.id}`, { key: herald.adminKey });
          expect(read.status).toBe(200);
          await herald.call('DELETE', `/v1/apps/shop/notifiers/${res.body.notifier.id}`, { key: herald.adminKey });
        } else {
          expect(res.status).toBe(400);
          expect(errorShape(res.body)).toBe(true);
          expect(await notifierCount()).toBe(before);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
