import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isThrottlingError } from '@smithy/core/retry';
import { errorBodyOf, HeraldError, RateLimitedError } from '../../shared/errors.js';
import { logger } from '../../shared/telemetry.js';

/** The one place where errors become HTTP answers, in the error shape of docs/http-api.md, "Errors". */
export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof HeraldError) {
    if (err instanceof RateLimitedError) c.header('Retry-After', String(err.retryAfterSeconds));
    return c.json(errorBodyOf(err), err.status as 400);
  }
  if (err instanceof HTTPException && err.status === 400) {
    // Hono's JSON validator throws this for a body that does not parse.
    return c.json(
      { error: { code: 'invalid_json', message: 'The body is not valid JSON', details: [{ path: '(body)', message: err.message }] } },
      400,
    );
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Any other refusal from hono or its validators (the guards answer first; this keeps one error shape).
    return c.json(
      { error: { code: HTTP_CODES[err.status] ?? 'bad_request', message: err.message || 'The request was refused' } },
      err.status,
    );
  }
  if (isThrottled(err)) {
    // DynamoDB or SQS refused for now (a partition past its rate, an account's limit) after
    // the SDK's own retries: the client may try again. A retry with the same idempotency key
    // resumes the same event (its deliveries keep their ids, so none is sent twice).
    logger.warn('throttled by AWS', { error: err, path: c.req.path, method: c.req.method });
    c.header('Retry-After', String(THROTTLED_RETRY_AFTER_SECONDS));
    return c.json(
      {
        error: {
          code: 'unavailable',
          message: 'Herald is busy for a moment: try again shortly',
          retryAfterSeconds: THROTTLED_RETRY_AFTER_SECONDS,
        },
      },
      503,
    );
  }
  logger.error('unhandled error', { error: err, path: c.req.path, method: c.req.method });
  return c.json({ error: { code: 'internal', message: 'Something went wrong on our side' } }, 500);
}

const THROTTLED_RETRY_AFTER_SECONDS = 1;

/** An AWS SDK error that says "too many requests, try later", as the SDK's own retry strategy classifies them. */
const isThrottled = (err: Error) => '$metadata' in err && isThrottlingError(err as Parameters<typeof isThrottlingError>[0]);

const HTTP_CODES: Record<number, string> = {
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

export const notFound = (c: Context): Response =>
  c.json({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404);
