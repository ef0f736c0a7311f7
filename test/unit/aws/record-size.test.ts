import { describe, expect, it } from 'vitest';
import { deliveryAttribute, eventAttributes, storedDelivery, type StoredDelivery } from '../../../shared/aws/event-records.js';
import {
  attemptsOf,
  clippedText,
  FIRST_ATTEMPTS,
  LAST_ATTEMPTS,
  MAX_TEXT_BYTES,
  storedAttempt,
  withAttempt,
} from '../../../shared/aws/stored-attempts.js';
import { PART_DELIVERIES, partsOf, RECORD_DELIVERIES } from '../../../shared/core/record-parts.js';
import type { Attempt } from '../../../shared/core/types.js';
import { deliveryIdFor, newId } from '../../../shared/ids.js';

/** An item's size as DynamoDB counts it against its 400 KB: names and values in UTF-8, numbers up to 21 bytes, 3 bytes and 1 an element for a map or list. */
function sizeOf(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return 21;
  if (typeof value === 'boolean' || value === null) return 1;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + sizeOf(v), 0);
  return 3 + Object.entries(value as object).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + sizeOf(v), 0);
}
const itemSize = (item: Record<string, unknown>) => sizeOf(item) - 3 - Object.keys(item).length;

const attempt = (n: number, error: string): Attempt => ({
  n,
  at: new Date().toISOString(),
  outcome: 'retrying',
  statusCode: 503,
  error,
  latencyMs: 10_000,
});

/** The most a delivery can hold: a 2,400-byte recipient, a long reason, and every kept attempt with a long error in 3-byte characters. */
function largestDelivery(): StoredDelivery {
  let d: StoredDelivery = {
    ...storedDelivery({
      notifierId: newId('ntf'),
      channel: 'rocketchat',
      recipient: 'r'.repeat(2400),
      status: 'suppressed',
      reason: '€'.repeat(5000),
    }),
    m: 99_999,
    b: 99_999,
    x: new Date().toISOString(),
    k: new Date().toISOString(),
  };
  for (let n = 1; n <= 1000; n++) d = withAttempt(d, storedAttempt(attempt(n, '€'.repeat(5000))));
  return d;
}

describe("an event's stored items stay under DynamoDB's 400 KB", () => {
  const event = eventAttributes({
    id: newId('evt'),
    appId: 'a'.repeat(64),
    type: 't'.repeat(100),
    severity: 'critical',
    message: 'm'.repeat(64 * 1024),
    occurredAt: new Date().toISOString(),
    receivedAt: new Date().toISOString(),
  });
  const ids = Array.from({ length: PART_DELIVERIES }, (_, i) => deliveryIdFor(newId('evt'))('ntf', String(i)));
  const deliveries = Object.fromEntries(ids.map((id) => [deliveryAttribute(id), largestDelivery()]));
  const keys = { pk: `EVT#${'a'.repeat(64)}#127`, sk: newId('evt'), expiresAt: 2 ** 40 };

  it('a record of a 64 KiB event and its most deliveries, and a part, whatever their attempts', () => {
    const record = { ...keys, ...event, u: false, ...Object.fromEntries(Object.entries(deliveries).slice(0, RECORD_DELIVERIES)) };
    const part = { ...keys, sk: `${keys.sk}#250`, ty: event.ty, ...deliveries };
    expect(itemSize(record)).toBeLessThan(400 * 1024);
    expect(itemSize(part)).toBeLessThan(400 * 1024);
  });

  it('keeps the first attempts, the latest, and how many there were', () => {
    const { attempts, count } = attemptsOf(largestDelivery());
    expect(count).toBe(1000);
    expect(attempts.map((a) => a.n)).toEqual([
      ...Array.from({ length: FIRST_ATTEMPTS }, (_, i) => i + 1),
      ...Array.from({ length: LAST_ATTEMPTS }, (_, i) => 1000 - LAST_ATTEMPTS + 1 + i),
    ]);
    // A delivery sent within its first attempts is kept as it always was: a list, no count.
    const sent = withAttempt(storedDelivery({ notifierId: 'ntf', channel: 'webhook', recipient: 'u', status: 'queued' }), {
      n: 1,
      at: '2026-01-01T00:00:00.000Z',
      o: 'sent',
      l: 5,
    });
    expect(sent).toEqual({
      n: 'ntf',
      c: 'webhook',
      r: 'u',
      s: 'queued',
      m: 0,
      a: [{ n: 1, at: '2026-01-01T00:00:00.000Z', o: 'sent', l: 5 }],
    });
    expect(attemptsOf(sent).count).toBeUndefined();
  });

  it('reads a delivery stored before (every attempt in its list) and adds its next attempts in slots', () => {
    const listed = Array.from({ length: 12 }, (_, i) => storedAttempt(attempt(i + 1, 'HTTP 503')));
    let before: StoredDelivery = {
      ...storedDelivery({ notifierId: 'ntf', channel: 'webhook', recipient: 'u', status: 'retrying' }),
      a: listed,
      m: 12,
    };
    expect(attemptsOf(before)).toEqual({ attempts: listed.map((a) => expect.objectContaining({ n: a.n, error: 'HTTP 503' })) });
    for (let n = 13; n <= 15; n++) before = withAttempt(before, storedAttempt(attempt(n, 'HTTP 503')));
    const { attempts, count } = attemptsOf(before);
    expect(attempts.map((a) => a.n)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(count).toBe(15);
  });

  it('puts an event with more deliveries than its record holds in parts, by id, the same ids in the same parts', () => {
    expect(partsOf(ids.slice(0, RECORD_DELIVERIES)).size).toBe(0);
    const many = Array.from({ length: 100 }, (_, i) => `dlv_${String(i).padStart(3, '0')}`);
    const parts = partsOf([...many].reverse());
    expect([...parts.values()].filter((p) => p === 1)).toHaveLength(PART_DELIVERIES);
    expect(parts.get('dlv_000')).toBe(1);
    expect(parts.get('dlv_099')).toBe(Math.ceil(100 / PART_DELIVERIES));
    expect(partsOf(many)).toEqual(parts);
  });
});

describe('clippedText', () => {
  it('leaves a short text as it is', () => {
    expect(clippedText('HTTP 503')).toBe('HTTP 503');
  });

  it('keeps the start and the end of a long one, within the bytes, never cutting a character', () => {
    for (const unit of ['a', 'é', '€', '😀']) {
      const text = `${unit.repeat(1000)}HTTP 503`;
      const clipped = clippedText(text);
      expect(Buffer.byteLength(clipped)).toBeLessThanOrEqual(MAX_TEXT_BYTES);
      expect(Buffer.byteLength(clipped)).toBeGreaterThan(MAX_TEXT_BYTES - 8);
      expect(clipped).toMatch(/….*HTTP 503$/u);
      expect(clipped.startsWith(unit)).toBe(true);
      // Nothing but whole characters: no replacement character from a cut sequence, no lone surrogate.
      expect(clipped).not.toContain('\uFFFD');
      expect(clipped).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });
});
