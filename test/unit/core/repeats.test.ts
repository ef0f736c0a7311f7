import { describe, expect, it } from 'vitest';
import { fingerprintOf, throttleDecision, throttleFor } from '../../../shared/core/repeats.js';
import type { HeraldEvent } from '../../../shared/core/types.js';

const event = (over: Partial<HeraldEvent> = {}): HeraldEvent => ({
  id: 'evt_1',
  appId: 'shop',
  type: 'check.status_changed',
  severity: 'critical',
  occurredAt: '',
  receivedAt: '',
  ...over,
});

describe('which throttle a notifier applies (PM2 bad behavior by default)', () => {
  it('throttles warning and critical events by default, 5 in 60 s, and never info events', () => {
    expect(throttleFor({}, { severity: 'critical' })).toEqual({ limit: 5, windowSeconds: 60 });
    expect(throttleFor({}, { severity: 'warning' })).toEqual({ limit: 5, windowSeconds: 60 });
    expect(throttleFor({}, { severity: 'info' })).toBeUndefined();
  });

  it('throttles nothing with "throttle": false, or when it counts occurrences', () => {
    expect(throttleFor({ throttle: false }, { severity: 'critical' })).toBeUndefined();
    expect(throttleFor({ occurrences: { on: [2], windowSeconds: 60 } }, { severity: 'critical' })).toBeUndefined();
  });

  it('applies settings of its own to every event, info ones too (they were asked for)', () => {
    expect(throttleFor({ throttle: { limit: 3, windowSeconds: 600 } }, { severity: 'info' })).toEqual({ limit: 3, windowSeconds: 600 });
  });

  it('sends the first and one bad behavior out of 12 in a burst', () => {
    const sent = Array.from({ length: 12 }, (_, i) => throttleDecision(i + 1, { limit: 5, windowSeconds: 60 })).filter((d) => d.send);
    expect(sent).toEqual([{ send: true }, { send: true, badBehavior: { count: 6, windowSeconds: 60 } }]);
  });
});

describe('what counts as the same problem', () => {
  it('is the fingerprint given, whatever else differs', () => {
    expect(fingerprintOf(event({ fingerprint: 'f', title: 'a' }))).toBe(fingerprintOf(event({ fingerprint: 'f', title: 'b' })));
  });

  it('is otherwise the type, title, message and state key: two checks failing alike are two problems', () => {
    const of = (data: Record<string, unknown>) => fingerprintOf(event({ message: 'timeout', data }));
    expect(of({ check: 'api', status: 'ERROR', ms: 1 })).toBe(of({ check: 'api', status: 'ERROR', ms: 2 }));
    expect(of({ check: 'api' })).not.toBe(of({ check: 'db' }));
    expect(of({ target: 'https://a.example' })).not.toBe(of({ target: 'https://b.example' }));
    expect(of({ server: 'web-1' })).not.toBe(of({ server: 'web-2' }));
    expect(of({ job: 'backup' })).not.toBe(of({ job: 'mailer' }));
    expect(fingerprintOf(event({ title: 'a' }))).not.toBe(fingerprintOf(event({ title: 'b' })));
    expect(fingerprintOf(event({ type: 'a' }))).not.toBe(fingerprintOf(event({ type: 'b' })));
  });
});
