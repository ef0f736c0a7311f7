import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, MAX_WAIT_SECONDS, nextRetry, parseRetrySchedule } from '../../../shared/core/retry-policy.js';

describe('the retry schedule', () => {
  it('defaults to the Standard Webhooks waits: 8 attempts', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(nextRetry(7, DEFAULT_RETRY_SCHEDULE, undefined, () => 0)).toEqual({ retry: true, waitSeconds: 36000 });
    expect(nextRetry(8, DEFAULT_RETRY_SCHEDULE, undefined)).toEqual({ retry: false });
  });

  it('lengthens each wait by up to 10 % jitter, never shortens it', () => {
    expect(nextRetry(2, DEFAULT_RETRY_SCHEDULE, undefined, () => 0)).toEqual({ retry: true, waitSeconds: 300 });
    expect(nextRetry(2, DEFAULT_RETRY_SCHEDULE, undefined, () => 0.999)).toEqual({ retry: true, waitSeconds: 330 });
    for (let i = 0; i < 50; i++) {
      const next = nextRetry(1, [1], undefined);
      expect(next).toEqual({ retry: true, waitSeconds: 1 });
    }
  });

  it('takes Retry-After as a floor, capped at 12 hours', () => {
    expect(nextRetry(1, [5], 120, () => 0)).toEqual({ retry: true, waitSeconds: 120 });
    expect(nextRetry(1, [5], 2, () => 0)).toEqual({ retry: true, waitSeconds: 5 });
    expect(nextRetry(1, [5], 10 ** 9, () => 0)).toEqual({ retry: true, waitSeconds: MAX_WAIT_SECONDS });
  });

  it('reads HERALD_RETRY_SCHEDULE, and refuses nonsense naming the variable', () => {
    expect(parseRetrySchedule(undefined)).toBe(DEFAULT_RETRY_SCHEDULE);
    expect(parseRetrySchedule('1, 2,3')).toEqual([1, 2, 3]);
    expect(() => parseRetrySchedule('1,soon')).toThrow(/HERALD_RETRY_SCHEDULE/);
    expect(() => parseRetrySchedule('-1')).toThrow(/HERALD_RETRY_SCHEDULE/);
    expect(() => parseRetrySchedule(String(MAX_WAIT_SECONDS + 1))).toThrow(/HERALD_RETRY_SCHEDULE/);
  });
});
