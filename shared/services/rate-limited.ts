import type { Attempt, DeliveryMessage } from '../core/types.js';
import type { Outcome } from '../core/ports.js';
import type { TransientDeliveryError } from '../errors.js';
import { logger } from '../telemetry.js';
import type { DeliverDeps } from './deliver.js';

/** SQS's longest delay: a set-aside message comes back within it. */
const MAX_SET_ASIDE_SECONDS = 900;

/**
 * A 429: the provider's pace, not a failure. The attempt is in the log but not counted
 * against the retry schedule; the delivery comes back after Retry-After (at least 1 s) in a
 * message of its own (a new message, so that waiting on a provider never counts against the
 * queue's maxReceiveCount), and the destination's bucket waits as long. A destination that
 * keeps answering 429 for longer than the schedule's total time ends dead, as any failure would.
 */
export async function rateLimited(
  deps: Pick<DeliverDeps, 'retrySchedule' | 'pacing' | 'context'>,
  delivered: DeliveryMessage,
  error: TransientDeliveryError,
  at: { started: Date; latencyMs: number },
  attemptOf: (outcome: Attempt['outcome']) => Attempt,
): Promise<{ outcome: Outcome; aside?: { message: DeliveryMessage; seconds: number } }> {
  // Its slot is spent: it takes a new one when it comes back.
  const { pacedAt: _slot, ...message } = delivered;
  const since = Date.parse(message.rateLimitedSince ?? at.started.toISOString());
  const limitedSeconds = Math.round((at.started.getTime() + at.latencyMs - since) / 1000);
  const scheduleSeconds = deps.retrySchedule.reduce((sum, wait) => sum + wait, 0);
  if (limitedSeconds >= scheduleSeconds) {
    const reason = `rate limited for ${limitedSeconds} s, longer than the retry schedule (${scheduleSeconds} s): ${error.message}`;
    return { outcome: { status: 'dead', attempt: attemptOf('failed'), reason } };
  }
  const seconds = Math.min(MAX_SET_ASIDE_SECONDS, Math.max(1, error.retryAfterSeconds ?? 1));
  const nextAttemptAt = new Date(at.started.getTime() + at.latencyMs + seconds * 1000);
  await holdDestination(deps, delivered, nextAttemptAt.getTime());
  return {
    outcome: { status: 'retrying', attempt: attemptOf('retrying'), nextAttemptAt, notCounted: true },
    aside: { message: { ...message, rateLimitedSince: new Date(since).toISOString() }, seconds },
  };
}

/** No slot at the message's destination before `until` (epoch ms); a failure to say so only costs a 429 later. */
export const holdDestination = (deps: Pick<DeliverDeps, 'pacing' | 'context'>, message: DeliveryMessage, until: number): Promise<void> =>
  (deps.pacing?.holdUntil(message, deps.context.providers, until) ?? Promise.resolve()).catch((err: unknown) =>
    logger.warn('pacing: could not hold the destination', { deliveryId: message.delivery.id, error: err as Error }),
  );
