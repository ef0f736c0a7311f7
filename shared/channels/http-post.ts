import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress } from '../core/address-policy.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../errors.js';
import type { SendContext, SendResult } from './channel.js';
import { maskUrl } from './channel.js';
import { guardedLookup } from './outbound.js';

const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * POST a JSON body to a receiver and classify the answer: 2xx sent; 408, 429 and 5xx
 * transient (with `Retry-After` as a floor); other statuses, redirects included (they are
 * not followed), permanent; network errors and timeouts transient. Unless the context
 * allows private addresses (local mode), only https to public addresses is sent, checked
 * on the address connected to. The answer's body is not read. Errors name the URL masked.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, context: SendContext): Promise<SendResult> {
  const target = new URL(url);
  const policy = context.outbound;
  if (!policy.allowPrivate) {
    if (target.protocol !== 'https:') throw new PermanentDeliveryError(`POST ${maskUrl(url)}: refused: not https`);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !isPublicAddress(host))
      throw new PermanentDeliveryError(`POST ${maskUrl(url)}: refused: a private or reserved address`);
  }
  let response: IncomingMessage;
  try {
    response = await send(target, body, headers, context);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EHERALDPRIVATE')
      throw new PermanentDeliveryError(`POST ${maskUrl(url)}: ${(err as Error).message}`, undefined, { cause: err });
    const reason =
      (err as Error).name === 'TimeoutError' || code === 'ABORT_ERR'
        ? `timed out after ${context.httpTimeoutMs} ms`
        : (code ?? (err as Error).message);
    throw new TransientDeliveryError(`POST ${maskUrl(url)}: ${reason}`, undefined, undefined, { cause: err });
  }
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return { statusCode: status };
  const message = `POST ${maskUrl(url)}: HTTP ${status}`;
  if (TRANSIENT_STATUS.has(status) || status >= 500) {
    const retryAfter = response.headers['retry-after'];
    throw new TransientDeliveryError(
      message,
      status,
      retryAfterSeconds(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, context.now()),
    );
  }
  throw new PermanentDeliveryError(status >= 300 && status < 400 ? `${message} (redirects are not followed)` : message, status);
}

function send(target: URL, body: string, headers: Record<string, string>, context: SendContext): Promise<IncomingMessage> {
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Herald/0.1', ...headers },
        lookup: guardedLookup(context.outbound) as never,
        signal: AbortSignal.timeout(context.httpTimeoutMs),
      },
      (res) => {
        // Only the status matters: the body is not read, the connection is let go.
        res.resume();
        res.on('error', () => {});
        resolve(res);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
