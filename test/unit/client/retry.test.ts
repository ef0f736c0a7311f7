import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Herald, HeraldApiError, HeraldNetworkError, isRetryable, withRetries } from '@herald/client';

/** The client's retry rule, with a fake clock: what is retried, how long it waits, when it gives up. */
const failing = (errors: unknown[]) => {
  let calls = 0;
  return {
    attempt: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return 'ok';
    },
    calls: () => calls,
  };
};
const apiError = (status: number, retryAfterSeconds?: number) => new HeraldApiError(status, undefined, retryAfterSeconds);
const network = () => new HeraldNetworkError('http://h', new TypeError('fetch failed'));

describe('withRetries', () => {
  it('retries network errors, 408, 425, 429 and 5xx up to 3 times, then throws the last error', async () => {
    for (const error of [network(), apiError(408), apiError(425), apiError(429), apiError(500), apiError(503)]) {
      const waits: number[] = [];
      const run = failing([error, error, error]);
      await expect(withRetries(run.attempt, { sleep: async (ms) => void waits.push(ms) })).resolves.toBe('ok');
      expect(run.calls()).toBe(4);
      const always = failing([error, error, error, error, error]);
      await expect(withRetries(always.attempt, { sleep: async () => {} })).rejects.toBe(error);
      expect(always.calls()).toBe(4);
    }
  });

  it('retries a 409 with Retry-After (the same key still at work) after that wait, and no other 409', async () => {
    const waits: number[] = [];
    const run = failing([apiError(409, 2)]);
    await expect(withRetries(run.attempt, { sleep: async (ms) => void waits.push(ms) })).resolves.toBe('ok');
    expect([run.calls(), waits]).toEqual([2, [2000]]);
  });

  it('does not retry what a retry cannot fix: 400, 401, 403, 404, 409, 413', async () => {
    for (const status of [400, 401, 403, 404, 409, 413]) {
      const run = failing([apiError(status)]);
      await expect(withRetries(run.attempt, { sleep: async () => {} })).rejects.toMatchObject({ status });
      expect(run.calls()).toBe(1);
    }
  });

  it('waits a random time up to a cap that doubles (full jitter), and honours Retry-After', async () => {
    const waits: number[] = [];
    const run = failing([apiError(500), apiError(500), apiError(500)]);
    await withRetries(run.attempt, { baseDelayMs: 100, random: () => 1, sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([100, 200, 400]);
    const low: number[] = [];
    await withRetries(failing([apiError(500)]).attempt, { random: () => 0.1, baseDelayMs: 100, sleep: async (ms) => void low.push(ms) });
    expect(low).toEqual([10]);
    const after: number[] = [];
    await withRetries(failing([apiError(429, 2)]).attempt, { sleep: async (ms) => void after.push(ms) });
    expect(after).toEqual([2000]);
  });

  it('gives up at once on a Retry-After longer than the longest wait', async () => {
    const run = failing([apiError(429, 3600)]);
    await expect(withRetries(run.attempt, { maxDelayMs: 10_000, sleep: async () => {} })).rejects.toMatchObject({ status: 429 });
    expect(run.calls()).toBe(1);
  });
});

describe("a call's own AbortSignal", () => {
  it('aborts the call at once, thrown as fetch throws it and not retried; the deadline still holds without one', async () => {
    // A server that takes every request and answers none.
    const seen: string[] = [];
    const server = createServer((req) => void seen.push(req.url ?? ''));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const herald = new Herald({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, key: 'hrd_app_x', timeoutMs: 1500 });
    try {
      const caller = new AbortController();
      const call = herald.api.get('/v1/whoami', { signal: caller.signal });
      setTimeout(() => caller.abort(), 100);
      const error = await call.catch((e: unknown) => e);
      // The caller's abort, not the deadline 1.5 s later: its signal reached the request.
      expect(error).toMatchObject({ name: 'AbortError' });
      expect(isRetryable(error)).toBe(false);
      const timedOut = await herald.api.get('/v1/whoami', {}).catch((e: unknown) => e);
      expect(timedOut).toBeInstanceOf(HeraldNetworkError);
      expect((timedOut as HeraldNetworkError).timedOut).toBe(true);
      expect(seen).toEqual(['/v1/whoami', '/v1/whoami']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('an answer cut off while its body comes', () => {
  it('is a network error, retried: a heartbeat whose first answer breaks off is sent again and resolves', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      req.resume();
      if (requests === 1) {
        // Headers and half the body, then the connection is cut.
        res.writeHead(202, { 'content-type': 'application/json', 'content-length': '40' });
        res.write('{"accepted":');
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const retried: unknown[] = [];
    const herald = new Herald({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      key: 'hrd_app_x',
      retry: { sleep: async () => {}, onRetry: (_, error) => void retried.push(error) },
    });
    try {
      await herald.heartbeat('web-1');
      expect(requests).toBe(2);
      expect(retried).toEqual([expect.any(HeraldNetworkError)]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('past the deadline is a network error that says it timed out', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '40' });
      res.write('{"app":'); // and nothing more
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const herald = new Herald({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, key: 'hrd_app_x', timeoutMs: 300 });
    try {
      const error = await herald.api.get('/v1/whoami', {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HeraldNetworkError);
      expect((error as HeraldNetworkError).timedOut).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
