import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { isPublicAddress } from '../core/address-policy.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../errors.js';
import type { SendResult } from '../core/ports.js';
import type { SendContext } from './channel.js';
import { maskUrl } from './channel.js';
import { guardedLookup } from './outbound.js';

// Pure: ingest's bundle (bundles.test.ts) imports this file through the channels' addressing and uses none of it.
const TRANSIENT_STATUS = /* @__PURE__ */ new Set([408, 425, 429, 500, 502, 503, 504]);
/** A provider's error answer is read this far, for its reason; the rest is let go. */
const MAX_ANSWER_BYTES = 16_384; // 16 KiB, written out: esbuild keeps `16 * 1024` even in a bundle that uses nothing here

/** What a receiver or provider answered. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, up to 16 KiB (empty when not read). */
  body: string;
}

export interface HttpCall {
  url: string;
  body: string | Buffer;
  headers?: Record<string, string>;
  method?: 'POST' | 'PUT';
  /** Default application/json. */
  contentType?: string;
  /** How errors name the call, without secrets. Default `POST <url masked>`. */
  label?: string;
  /** Read the answer's body (providers that explain their errors in it). Default false. */
  readBody?: boolean;
}

/**
 * One HTTP request to a receiver or a provider. Unless the context allows private addresses
 * (local mode), only https to public addresses is sent, checked on the address connected
 * to. Network errors and timeouts throw TransientDeliveryError; a refused address,
 * PermanentDeliveryError. Any answer is returned, for the caller to judge. Redirects are
 * not followed. Errors name the call by its label, never by a URL with a token in it.
 */
export async function sendHttp(call: HttpCall, context: SendContext): Promise<HttpAnswer> {
  const target = new URL(call.url);
  const label = labelOf(call);
  if (!context.outbound.allowPrivate) {
    if (target.protocol !== 'https:') throw new PermanentDeliveryError(`${label}: refused: not https`);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !isPublicAddress(host)) throw new PermanentDeliveryError(`${label}: refused: a private or reserved address`);
  }
  try {
    return await send(target, call, context);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EHERALDPRIVATE') throw new PermanentDeliveryError(`${label}: ${(err as Error).message}`, undefined, { cause: err });
    const reason = err instanceof HttpTimeout ? `timed out after ${context.httpTimeoutMs} ms` : (code ?? (err as Error).message);
    throw new TransientDeliveryError(`${label}: ${reason}`, undefined, undefined, { cause: err });
  }
}

/**
 * The usual reading of an answer: 2xx sent; 408, 425, 429 and 5xx transient (with
 * `Retry-After`, or the provider's own wait, as a floor); anything else, redirects
 * included, permanent. `detail` is the provider's reason, added to the error; `failedAs`
 * judges an answer whose status says nothing (a provider that answers errors with 200).
 */
export function judge(
  answer: HttpAnswer,
  call: Pick<HttpCall, 'url' | 'label' | 'method'>,
  context: SendContext,
  hints: { detail?: string | undefined; retryAfterSeconds?: number | undefined; failedAs?: 'transient' | 'permanent' } = {},
): SendResult {
  const { status } = answer;
  if (status >= 200 && status < 300 && !hints.failedAs) return { statusCode: status };
  const detail = hints.detail ? `: ${hints.detail.replace(/\s+/g, ' ').slice(0, 300)}` : '';
  const message = `${labelOf(call)}: HTTP ${status}${detail}`;
  if (hints.failedAs ? hints.failedAs === 'transient' : TRANSIENT_STATUS.has(status) || status >= 500) {
    const header = answer.headers['retry-after'];
    const retryAfter = hints.retryAfterSeconds ?? retryAfterSeconds(Array.isArray(header) ? header[0] : header, context.now());
    throw new TransientDeliveryError(message, status, retryAfter);
  }
  throw new PermanentDeliveryError(status >= 300 && status < 400 ? `${message} (redirects are not followed)` : message, status);
}

/** POST a JSON body and judge the answer the usual way (webhooks, Slack). */
export async function postJson(url: string, body: string, headers: Record<string, string>, context: SendContext): Promise<SendResult> {
  const call = { url, body, headers };
  return judge(await sendHttp(call, context), call, context);
}

/** The answer's body as JSON, or undefined. */
export function answerJson<T = Record<string, unknown>>(answer: HttpAnswer): Partial<T> | undefined {
  try {
    const parsed: unknown = JSON.parse(answer.body);
    return parsed && typeof parsed === 'object' ? (parsed as Partial<T>) : undefined;
  } catch {
    return undefined;
  }
}

const labelOf = (call: Pick<HttpCall, 'url' | 'label' | 'method'>): string => call.label ?? `${call.method ?? 'POST'} ${maskUrl(call.url)}`;

/** The whole call (connecting, the answer, its body when read) took longer than the context allows. */
class HttpTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'HttpTimeout';
  }
}

function send(target: URL, call: HttpCall, context: SendContext): Promise<HttpAnswer> {
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: call.method ?? 'POST',
        headers: {
          'content-type': call.contentType ?? 'application/json',
          'content-length': Buffer.byteLength(call.body),
          'user-agent': 'Herald/0.1',
          ...call.headers,
        },
        lookup: guardedLookup(context.outbound) as never,
      },
      (res: IncomingMessage) => {
        res.on('error', () => {});
        const answer = { status: res.statusCode ?? 0, headers: res.headers };
        if (!call.readBody) {
          // Only the status matters: the body is not read, the connection is let go.
          clearTimeout(timer);
          res.resume();
          return resolve({ ...answer, body: '' });
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const answered = () => {
          clearTimeout(timer);
          resolve({ ...answer, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES) });
        };
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', answered);
        res.on('close', answered);
      },
    );
    // A timer, not AbortSignal.timeout(): a signal per request cost a tenth of a webhook's CPU in local mode.
    const timer = setTimeout(() => req.destroy(new HttpTimeout(context.httpTimeoutMs)), context.httpTimeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(call.body);
  });
}

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null | undefined, now: Date): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** Send to a provider and judge its answer the usual way, with its reason read from the JSON it answers. */
export async function callProvider(
  call: HttpCall,
  context: SendContext,
  reasonOf: (json: Record<string, any>) => unknown = () => undefined,
): Promise<SendResult> {
  const answer = await sendHttp({ ...call, readBody: true }, context);
  const json = answerJson(answer);
  const reason = json ? reasonOf(json) : undefined;
  return judge(answer, call, context, { detail: typeof reason === 'string' ? reason : undefined });
}
