/**
 * Named errors. The API maps them to HTTP in one place (functions/api/errors.ts); the
 * channel functions read the delivery ones to decide between retrying and giving up.
 */

export interface FieldIssue {
  path: string;
  message: string;
}

export class HeraldError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends HeraldError {
  constructor(
    message: string,
    readonly details: FieldIssue[] = [],
  ) {
    super(400, 'invalid_request', message);
  }
}

export class UnauthorizedError extends HeraldError {
  constructor(message = 'A valid API key is required: Authorization: Bearer <key>') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends HeraldError {
  constructor(message = 'This key is not allowed here') {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends HeraldError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

export class ConflictError extends HeraldError {
  constructor(
    message: string,
    /** When trying again later may succeed (a repeat while the first request is still at work): Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(409, 'conflict', message);
  }
}

/** 409: a contact or a contact group that a group or a notifier names; `details` name them. */
export class ContactInUseError extends HeraldError {
  constructor(
    message: string,
    readonly details: FieldIssue[],
  ) {
    super(409, 'contact_in_use', message);
  }
}

/** 409: a notifier that an escalation policy's step or another notifier's failover names; `details` name them. */
export class NotifierInUseError extends HeraldError {
  constructor(
    message: string,
    readonly details: FieldIssue[],
  ) {
    super(409, 'notifier_in_use', message);
  }
}

export class RateLimitedError extends HeraldError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'rate_limited', message);
  }
}

/** Something Herald needs from elsewhere (SNS's signing certificate) did not answer: the sender may try again. */
export class UnavailableError extends HeraldError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(503, 'unavailable', message, options);
  }
}

/** The provider refused for good (400/404/410, an invalid recipient): record, do not retry. */
export class PermanentDeliveryError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}

/** Worth another attempt (timeout, 5xx, 429, throttling). `retryAfterSeconds` is a floor. */
export class TransientDeliveryError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransientDeliveryError';
  }
}

/** The body of an error answer: DESIGN's shape, `details` naming the fields at fault. */
export interface ErrorBody {
  error: { code: string; message: string; details?: FieldIssue[]; retryAfterSeconds?: number };
}

export function errorBodyOf(err: HeraldError): ErrorBody {
  // A validation error's fields at fault, or what a conflict is with (contact_in_use).
  const listed = 'details' in err && Array.isArray(err.details) ? (err.details as FieldIssue[]) : [];
  const details = listed.length ? { details: listed } : {};
  // The Retry-After header's value, in the body too: a batch's refused entry has no header of its own.
  const retryAfterSeconds = retryAfterOf(err);
  const retry = retryAfterSeconds !== undefined ? { retryAfterSeconds } : {};
  return { error: { code: err.code, message: err.message, ...details, ...retry } };
}

/** When the client may try again (a 429; a 409 of a request still at work), or undefined. */
export function retryAfterOf(err: HeraldError): number | undefined {
  return err instanceof RateLimitedError || err instanceof ConflictError ? err.retryAfterSeconds : undefined;
}
