import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { PermanentDeliveryError, TransientDeliveryError } from '../errors.js';

type SdkError = Parameters<typeof isTransientError>[0] & { message?: string; $metadata?: { httpStatusCode?: number } };

/**
 * Classify an AWS SDK error from SES or SNS with the SDK's own classifiers (those its retry
 * strategy uses): throttling, 5xx, timeouts and network failures (no HTTP answer at all) are
 * transient, and so is KMS throttling the message's encryption (SNS's KMSThrottlingException,
 * a 400 the SDK does not count as throttling); the rest (an invalid recipient, a rejected
 * message, an unverified sender) are permanent.
 */
export function classifyAwsError(err: unknown, what: string): PermanentDeliveryError | TransientDeliveryError {
  const e = (typeof err === 'object' && err !== null ? err : new Error(String(err))) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const message = `${what}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
  const transient =
    status === undefined || isThrottlingError(e) || isTransientError(e) || isServerError(e) || e.name === 'KMSThrottlingException';
  return transient
    ? new TransientDeliveryError(message, status, undefined, { cause: err })
    : new PermanentDeliveryError(message, status, { cause: err });
}
