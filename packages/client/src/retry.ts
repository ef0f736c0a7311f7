import { HeraldApiError } from './api.js';

/**
 * Safe retries for the client's own calls (an event with its Idempotency-Key, a heartbeat):
 * what a retry may fix (the network, a timeout, 408, 425, 429, 5xx, a 409 with Retry-After) is tried again after a
 * "full jitter" wait (a random time up to an exponentially growing cap, so that many clients
 * failing together do not come back together), or after the server's Retry-After.
 */

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** The cap of the first wait, doubled at each retry (default 250 ms). */
  baseDelayMs?: number;
  /** The largest wait (default 10 s); a Retry-After longer than this is not waited for: the error is thrown. */
  maxDelayMs?: number;
  /** Called before each wait, with the retry's number (1, 2, 3), the failure and the wait. */
  onRetry?: (retry: number, error: unknown, delayMs: number) => void;
  /** For tests: where randomness and sleep come from. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Herald could not be reached, or did not answer in time: no status, so nothing is known of what it did. */
export class HeraldNetworkError extends Error {
  readonly timedOut: boolean;

  constructor(url: string, cause: unknown) {
    const timedOut = (cause as { name?: string } | undefined)?.name === 'TimeoutError';
    super(timedOut ? `Herald did not answer in time (${url})` : `Herald could not be reached (${url}): ${messageOf(cause)}`, { cause });
    this.name = 'HeraldNetworkError';
    this.timedOut = timedOut;
  }
}

/**
 * A fetch whose every call has a deadline, and whose failures without a whole answer are
 * HeraldNetworkErrors: the answer's body is read within the call (Herald's answers are small
 * JSON), so that a connection cut or a deadline passed while it comes is one too, and is
 * retried like a failure before the headers. A signal of the caller's own still aborts the
 * call: its abort is thrown as fetch throws it, the caller's to handle, and never retried.
 */
export function fetchWithTimeout(base: typeof fetch, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const asked = init?.signal ?? undefined;
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      const res = await base(input, { ...init, signal: asked ? eitherSignal(asked, deadline) : deadline });
      const body = res.body && !NULL_BODY_STATUS.has(res.status) ? await res.arrayBuffer() : null;
      return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch (cause) {
      if (asked?.aborted) throw cause;
      throw new HeraldNetworkError(String(input), cause);
    }
  };
}

/** Aborted when either is; where AbortSignal.any is missing (Node before 18.17), the caller's signal alone. */

const eitherSignal = (asked: AbortSignal, deadline: AbortSignal): AbortSignal =>
  'any' in AbortSignal ? AbortSignal.any([asked, deadline]) : asked;

/** The statuses whose Response has no body (the constructor refuses one). */
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

const RETRYABLE_STATUS = new Set([408, 425, 429]);

export function isRetryable(error: unknown): boolean {
  if (error instanceof HeraldNetworkError) return true;
  if (!(error instanceof HeraldApiError)) return false;
  // A 409 with Retry-After: the first request with the idempotency key is still at work, and a retry gets its answer.
  return RETRYABLE_STATUS.has(error.status) || error.status >= 500 || (error.status === 409 && error.retryAfterSeconds !== undefined);
}

/** Run `attempt` until it succeeds, fails for good, or the retries are used up (then its last error is thrown). */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { retries = 3, baseDelayMs = 250, maxDelayMs = 10_000, random = Math.random, sleep = defaultSleep } = options;
  for (let retry = 1; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (retry > retries || !isRetryable(error)) throw error;
      const delayMs = waitBefore(retry, error, { baseDelayMs, maxDelayMs, random });
      if (delayMs === undefined) throw error;
      options.onRetry?.(retry, error, delayMs);
      await sleep(delayMs);
    }
  }
}

/** The wait before a retry: the server's Retry-After when it gave one (undefined when too long), else full jitter. */
export function waitBefore(
  retry: number,
  error: unknown,
  { baseDelayMs, maxDelayMs, random }: { baseDelayMs: number; maxDelayMs: number; random: () => number },
): number | undefined {
  const retryAfter = error instanceof HeraldApiError ? error.retryAfterSeconds : undefined;
  if (retryAfter !== undefined) return retryAfter * 1000 <= maxDelayMs ? retryAfter * 1000 : undefined;
  return Math.round(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1)));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function messageOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return cause?.message ?? cause?.code ?? (error instanceof Error ? error.message : String(error));
}
