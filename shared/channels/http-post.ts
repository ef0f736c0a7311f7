import { PermanentDeliveryError, TransientDeliveryError } from '../errors.js';
import type { SendContext, SendResult } from './channel.js';
import { maskUrl } from './channel.js';

const TRANSIENT_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * POST a JSON body to a receiver and classify the answer: 2xx sent; 408, 429 and 5xx
 * transient (with `Retry-After` as a floor); other statuses, redirects included (they are
 * not followed), permanent; network errors and timeouts transient. Errors name the URL
 * masked, never in full.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, context: SendContext): Promise<SendResult> {
  const doFetch = context.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Herald/0.1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(context.httpTimeoutMs),
    });
  } catch (err) {
    const reason =
      err instanceof Error && err.name === 'TimeoutError' ? `timed out after ${context.httpTimeoutMs} ms` : describeNetworkError(err);
    throw new TransientDeliveryError(`POST ${maskUrl(url)}: ${reason}`, undefined, undefined, { cause: err });
  }
  // The body is not needed; drain it so the connection can be reused.
  await response.body?.cancel().catch(() => {});
  const status = response.status;
  if (status >= 200 && status < 300) return { statusCode: status };
  const message = `POST ${maskUrl(url)}: HTTP ${status}`;
  if (TRANSIENT_STATUS.has(status) || status >= 500) {
    throw new TransientDeliveryError(message, status, retryAfterSeconds(response.headers.get('retry-after'), context.now()));
  }
  throw new PermanentDeliveryError(status >= 300 && status < 400 ? `${message} (redirects are not followed)` : message, status);
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
