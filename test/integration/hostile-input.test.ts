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
