import { describe, expect, it } from 'vitest';
import type { GroupTimer, Timer } from '../../../shared/core/ports.js';
import { fireTimers, TimersFailed, type TimerHandlers } from '../../../shared/services/timers.js';
import { memoryHerald } from '../../support/fakes.js';

const timer = (group: string): Timer => ({ kind: 'group', appId: 'shop', notifierId: 'ops', group, seq: 1 });

/** Handlers that note each timer they are given (its group, and the time it was due at); `failing` groups throw. */
function recording(failing: string[] = []) {
  const fired: { group: string; now: string }[] = [];
  const handlers: TimerHandlers = {
    'silence-end': async () => {},
    escalation: async () => {},
    failover: async () => {},
    group: async (t, now) => {
      if (failing.includes(t.group)) throw new Error(`the ${t.group} group's store is down`);
      fired.push({ group: t.group, now: now.toISOString() });
    },
  };
  return { fired, handlers };
}

describe('timers (the timer queue and fireTimers, on the embedded engine with a fake clock)', () => {
  it("comes back in hops of SQS's 900 s while due later, set again for what is left, and is done when due", async () => {
    const herald = await memoryHerald();
    const { fired, handlers } = recording();
    const start = herald.clock().getTime();
    await herald.timers.set([{ timer: timer('db'), at: new Date(start + 2000_000) }]);

    // 900 s, 900 s again, then the 200 s left.
    for (const hop of [900, 900, 200]) {
      herald.time.advance(hop - 1);
      expect(herald.timersDue()).toEqual([]);
      herald.time.advance(1);
      expect(fired).toEqual([]);
      await fireTimers(herald, handlers, herald.timersDue());
    }
    expect(fired).toEqual([{ group: 'db', now: new Date(start + 2000_000).toISOString() }]);
    herald.time.advance(900);
    expect(herald.timersDue()).toEqual([]); // done once
  });

  it('does every timer of a batch though one fails, then says which failed', async () => {
    const herald = await memoryHerald();
    const { fired, handlers } = recording(['cache']);
    const now = herald.clock();
    await herald.timers.set(['db', 'cache', 'web'].map((g) => ({ timer: timer(g), at: now })));
    const batch = herald.timersDue();
    expect(batch).toHaveLength(3);

    const failure = await fireTimers(herald, handlers, batch).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(TimersFailed);
    expect((failure as TimersFailed).failed.map((m) => (m.timer as GroupTimer).group)).toEqual(['cache']);
    expect((failure as TimersFailed).message).toContain("the cache group's store is down");
    expect(fired.map((f) => f.group).sort()).toEqual(['db', 'web']);
  });
});
