import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isThrottlingError } from '@smithy/core/retry';
import { errorBodyOf, HeraldError, retryAfterOf, type ErrorBody } from '../../shared/errors.js';
import { IngestMetrics } from '../../shared/services/ingest-metrics.js';
import { logger } from '../../shared/telemetry.js';

/** The ingest routes: what they refuse is counted in the ingest metrics (`EventsRefused`, by code). */
const INGEST_ROUTES = new Set(['POST /v1/events', 'POST /v1/events/batch']);

/**
 * The one place where errors become HTTP answers, in the error shape of docs/http-api.md, "Errors".
 * Every refusal of an ingest route passes here (the guards' and the validators' too): a
 * refused batch as a whole counts once, its events are not known.
 */
export function errorResponse(err: Error, c: Context): Response {
  const { body, status } = answerOf(err, c);
  if (INGEST_ROUTES.has(`${c.req.method} ${c.req.path}`)) {
    const tally = new IngestMetrics();
    tally.refused(body.error.code);
    tally.publish();
  }
  return c.json(body, status as 400);
}

function answerOf(err: Error, c: Context): { body: ErrorBody; status: number } {
  if (err instanceof HeraldError) {
    const retryAfter = retryAfterOf(err);
    if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
    return { body: errorBodyOf(err), status: err.status };
  }
  if (err instanceof HTTPException && err.status === 400) {
    // Hono's JSON validator throws this for a body that does not parse.
    return {
      body: { error: { code: 'invalid_json', message: 'The body is not valid JSON', details: [{ path: '(body)', message: err.message }] } },
      status: 400,
    };
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Any other refusal from hono or its validators (the guards answer first; this keeps one error shape).
    return {
      body: { error: { code: HTTP_CODES[err.status] ?? 'bad_request', message: err.message || 'The request was refused' } },
      status: err.status,
    };
  }
  if (isThrottled(err)) {
    // DynamoDB or SQS refused for now (a partition past its rate, an account's limit) after
    // the SDK's own retries: the client may try again. A retry with the same idempotency key
    // resumes the same event (its deliveries keep their ids, so none is sent twice).
    logger.warn('throttled by AWS', { error: err, path: c.req.path, method: c.req.method });
    c.header('Retry-After', String(THROTTLED_RETRY_AFTER_SECONDS));
    return {
      body: {
        error: {
          code: 'unavailable',
          message: 'Herald is busy for a moment: try again shortly',
          retryAfterSeconds: THROTTLED_RETRY_AFTER_SECONDS,
        },
      },
      status: 503,
    };
  }
  logger.error('unhandled error', { error: err, path: c.req.path, method: c.req.method });
  return { body: { error: { code: 'internal', message: 'Something went wrong on our side' } }, status: 500 };
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
