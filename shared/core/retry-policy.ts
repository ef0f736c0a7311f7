/**
 * When to try a delivery again. The schedule is the waits between attempts: N waits give
 * N+1 attempts. The default is Standard Webhooks': 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
 * (8 attempts). Each wait is lengthened by up to 10 % jitter, so that retries of a burst
 * spread out; a receiver's `Retry-After` is a floor. No wait exceeds 12 h, SQS's limit
 * for a message's visibility.
 */

export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [5, 300, 1800, 7200, 18000, 36000, 36000];
export const MAX_WAIT_SECONDS = 12 * 3600;

export type RetryDecision = { retry: true; waitSeconds: number } | { retry: false };

/**
 * After attempt `n` (1-based, counted since the delivery's last redrive) failed transiently:
 * retry after how long, or give up.
 */
export function nextRetry(
  n: number,
  schedule: readonly number[],
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): RetryDecision {
  const wait = schedule[n - 1];
  if (wait === undefined) return { retry: false };
  const jittered = Math.max(wait, Math.round(wait * (1 + 0.1 * random())));
  return { retry: true, waitSeconds: Math.min(MAX_WAIT_SECONDS, Math.max(jittered, retryAfterSeconds ?? 0)) };
}

/** `HERALD_RETRY_SCHEDULE`: seconds, comma-separated (e.g. `1,1,2`). */
export function parseRetrySchedule(raw: string | undefined): readonly number[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_RETRY_SCHEDULE;
  const waits = raw.split(',').map((s) => Number(s.trim()));
  if (waits.some((w) => !Number.isInteger(w) || w < 0 || w > MAX_WAIT_SECONDS)) {
    throw new Error(`Herald: HERALD_RETRY_SCHEDULE must be whole seconds from 0 to ${MAX_WAIT_SECONDS}, comma-separated; got "${raw}"`);
  }
  return waits;
}
