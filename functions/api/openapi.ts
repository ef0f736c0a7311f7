import { z } from '@hono/zod-openapi';
import { ErrorResponse } from '../../shared/schemas/common.js';

/** Shorthands for route declarations: a JSON body, a JSON answer, the error answers. */

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const error = (description: string) => json(ErrorResponse, description);

export const errors = {
  400: error('invalid request: details name the fields'),
  401: error('no, malformed, unknown or revoked key'),
  403: error('this key is not allowed here'),
  404: error('not found'),
} as const;

export const bodyErrors = {
  ...errors,
  413: error('body larger than 64 KiB'),
  415: error('body is not JSON'),
} as const;

export const conflict = { 409: error('conflict: the id is taken, or the idempotency key was used with another body') } as const;

export const rateLimited = { 429: error("over the app's events per minute: retry after Retry-After seconds") } as const;

/** Inbound sources: a tool's payload in its own content type, refused by its own means, retried by the tool on a 429 or 5xx. */
export const inboundErrors = {
  400: error('invalid payload: details name the fields'),
  401: error('a wrong or missing token or signature: nothing stored'),
  403: error('a topic this source does not take'),
  404: error('no such source'),
  413: error('body larger than 1 MiB'),
  415: error('a content type the source does not take'),
  429: error("over the app's events per minute: the tool retries, and what was taken is a duplicate then"),
  503: error('a store or a queue is busy, or SNS did not give its certificate in time: the tool retries'),
} as const;

export const noContent = { description: 'done' } as const;

export const bearer = [{ bearer: [] }];
