import { PermanentDeliveryError, TransientDeliveryError } from '../errors.js';

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'LimitExceededException',
  'InternalFailure',
  'InternalErrorException',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSThrottlingException',
  'TimeoutError',
  'RequestTimeout',
]);

/**
 * Classify an AWS SDK error from SES or SNS: throttling, 5xx and network failures (no HTTP
 * answer at all) are transient; the rest (an invalid recipient, a rejected message, an
 * unverified sender) are permanent.
 */
export function classifyAwsError(err: unknown, what: string): PermanentDeliveryError | TransientDeliveryError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  const message = `${what}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
  if (TRANSIENT_NAMES.has(e.name ?? '') || status === undefined || status === 429 || status >= 500) {
    return new TransientDeliveryError(message, status, undefined, { cause: err });
  }
  return new PermanentDeliveryError(message, status, { cause: err });
}
