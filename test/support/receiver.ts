import { verifyWebhook } from '../../shared/core/webhook-signature.js';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived (epoch ms). */
  at: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** What the next requests are answered with; default 200. */
  respond(fn: (req: ReceivedRequest) => { status: number; headers?: Record<string, string>; delayMs?: number }): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A local HTTP server standing in for a Slack workspace or a webhook receiver. */
export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let answer: Parameters<Receiver['respond']>[0] = () => ({ status: 200 });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(received);
      const { status, headers, delayMs } = answer(received);
      setTimeout(() => {
        res.writeHead(status, headers);
        res.end(status < 300 ? 'ok' : 'no');
      }, delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    respond: (fn) => {
      answer = fn;
    },
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > until) throw new Error(`receiver got ${requests.length} requests, expected ${count}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return requests;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Poll until `check` returns a value, or fail after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Does this request carry a valid Standard Webhooks signature for the secret? */
export function signatureVerifies(secret: string, request: ReceivedRequest | undefined): boolean {
  if (!request) return false;
  const h = request.headers;
  return verifyWebhook(secret, String(h['webhook-id']), Number(h['webhook-timestamp']), request.body, String(h['webhook-signature']));
}
