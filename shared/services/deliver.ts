import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Channel, SendContext } from '../channels/channel.js';
import type { Claim, DeliveryStore, Outcome, ReceivedMessage } from '../core/ports.js';
import { nextRetry } from '../core/retry-policy.js';
import type { Attempt, ChannelName, DeliveryMessage } from '../core/types.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../errors.js';
import { logger, metrics } from '../telemetry.js';
import { destinationOf, type DestinationLoad } from './destination-load.js';
import type { NotifierStatusCache } from './notifier-status.js';

export interface DeliverDeps {
  /** The channels this function delivers (its family's). */
  channels: Partial<Record<ChannelName, Channel<any>>>;
  deliveries: DeliveryStore;
  notifiers: NotifierStatusCache;
  context: SendContext;
  clock: () => Date;
  /** Waits between attempts, in seconds. */
  retrySchedule: readonly number[];
  /** What each destination holds of this process: a slow receiver holds up only its own deliveries. */
  load: DestinationLoad;
  random?: () => number;
}

export type DeliverResult = 'sent' | 'failed' | 'retrying' | 'dead' | 'skipped' | 'suppressed' | 'set aside';

/** Thrown after a transient failure, once the next attempt is scheduled: the message must stay on its queue. */
export class RetryScheduled extends Error {
  constructor(
    readonly waitSeconds: number,
    options: { cause: unknown },
  ) {
    super(`next attempt in ${waitSeconds} s`, options);
    this.name = 'RetryScheduled';
  }
}

/**
 * One attempt of one delivery. First, room at its destination: one that already holds all
 * it may of this process (a slow receiver, see DestinationLoad) has the delivery set aside
 * for 10 to 20 s, no attempt spent. Then claim it (a conditional write, so that a message
 * received twice is sent once), check that its notifier still wants it, send it, and
 * record the outcome (a second write) with one log line and its metrics:
 * - sent, or a permanent failure: recorded, the message acknowledged;
 * - a transient failure with attempts left: recorded `retrying`, the message hidden until
 *   the next attempt is due, and RetryScheduled thrown so that the message stays queued;
 * - a transient failure on the last attempt: the message put in the DLQ, recorded `dead`.
 */
export async function deliver(deps: DeliverDeps, message: DeliveryMessage, received: ReceivedMessage): Promise<DeliverResult> {
  const { delivery } = message;
  const channel = deps.channels[delivery.channel];
  // A message on the wrong queue stays there, to end in its DLQ, where a redrive puts it right.
  if (!channel) throw new Error(`this function does not deliver ${delivery.channel} notifications`);
  const fields = {
    appId: delivery.appId,
    eventId: delivery.eventId,
    eventType: message.event.type,
    notifierId: delivery.notifierId,
    deliveryId: delivery.id,
    channel: delivery.channel,
    recipient: channel.maskRecipient(delivery.recipient),
  };
  const done = deps.load.take(destinationOf(delivery));
  if (!done) {
    // Its destination holds all it may of this process (it is slow, or busy): not an attempt, just later.
    const seconds = SET_ASIDE_SECONDS + Math.round((deps.random ?? Math.random)() * SET_ASIDE_SECONDS);
    await received.setAside(seconds);
    logger.trace('delivery set aside: its destination is slow or busy', { ...fields, outcome: 'set aside', setAsideSeconds: seconds });
    return 'set aside';
  }
  const t0 = performance.now();
  try {
    return await attempt(deps, message, received, channel, fields);
  } finally {
    done(performance.now() - t0);
  }
}

/** How long a delivery is set aside when its destination has no room: 10 to 20 s. */
const SET_ASIDE_SECONDS = 10;

async function attempt(
  deps: DeliverDeps,
  message: DeliveryMessage,
  received: ReceivedMessage,
  channel: Channel<any>,
  fields: Record<string, string>,
): Promise<DeliverResult> {
  const { delivery } = message;
  const started = deps.clock();
  const claim = await deps.deliveries.claim(delivery, started);
  if (!claim) {
    logger.trace('delivery skipped: already done, in progress, not due or gone', { ...fields, outcome: 'skipped' });
    return 'skipped';
  }

  // `app_deleted` outlives the app's notifiers on purpose: it is their last message.
  const { appId: notifierScope, status: notifier } =
    message.event.type === 'app_deleted'
      ? { appId: message.notifier.appId ?? delivery.appId, status: { exists: true, enabled: true } }
      : await deps.notifiers.ofMessage(message);
  if (!notifier.exists || !notifier.enabled) {
    const reason = notifier.exists ? 'the notifier is disabled' : 'the notifier was deleted';
    await deps.deliveries.record(delivery, { status: 'failed', reason });
    logger.warn('delivery ended', { ...fields, attempt: claim.n, outcome: 'failed', reason });
    return 'failed';
  }

  const t0 = performance.now();
  let error: unknown;
  let statusCode: number | undefined;
  let suppressed: string | undefined;
  try {
    ({ statusCode, suppressed } = await channel.send(message, deps.context));
  } catch (err) {
    error = err;
    statusCode = err instanceof PermanentDeliveryError || err instanceof TransientDeliveryError ? err.statusCode : undefined;
  }
  if (suppressed) {
    // The channel chose not to send (an outdated incident update): no attempt to record.
    await deps.deliveries.record(delivery, { status: 'suppressed', reason: suppressed });
    logger.info('delivery suppressed', { ...fields, attempt: claim.n, outcome: 'suppressed', reason: suppressed });
    return 'suppressed';
  }
  const latencyMs = Math.round(performance.now() - t0);
  const attempt = (outcome: Attempt['outcome']): Attempt => ({
    n: claim.n,
    at: started.toISOString(),
    outcome,
    ...(statusCode ? { statusCode } : {}),
    ...(error ? { error: errorText(error) } : {}),
    latencyMs,
  });

  let outcome: Outcome;
  let retryIn: number | undefined;
  if (!error) outcome = { status: 'sent', attempt: attempt('sent') };
  else if (error instanceof PermanentDeliveryError) outcome = { status: 'failed', attempt: attempt('failed'), reason: errorText(error) };
  else {
    // Anything not known to be permanent (a timeout, a 5xx, a bug) is worth another try.
    const retryAfter = error instanceof TransientDeliveryError ? error.retryAfterSeconds : undefined;
    const next = nextRetry(claim.attemptInRound, deps.retrySchedule, retryAfter, deps.random);
    if (next.retry) {
      retryIn = next.waitSeconds;
      outcome = {
        status: 'retrying',
        attempt: attempt('retrying'),
        nextAttemptAt: new Date(started.getTime() + latencyMs + retryIn * 1000),
      };
    } else {
      await received.deadLetter();
      outcome = {
        status: 'dead',
        attempt: attempt('failed'),
        reason: `gave up after ${claim.attemptInRound} attempts: ${errorText(error)}`,
      };
    }
  }

  await deps.deliveries.record(delivery, outcome);
  report(fields, claim, outcome, latencyMs, retryIn);
  await deps.notifiers
    .observe(notifierScope, delivery.notifierId, outcome.status === 'sent', started)
    .catch((err: unknown) => logger.warn('could not note the notifier failure run', { ...fields, error: err as Error }));
  if (retryIn !== undefined) {
    await received.retryIn(retryIn);
    throw new RetryScheduled(retryIn, { cause: error });
  }
  return outcome.status as DeliverResult;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The delivery log line (CloudWatch Logs) and the channel's metrics (EMF). */
function report(fields: Record<string, string>, claim: Claim, outcome: Outcome, latencyMs: number, retryIn: number | undefined): void {
  const line = {
    ...fields,
    attempt: claim.n,
    outcome: outcome.status,
    latencyMs,
    statusCode: outcome.attempt?.statusCode,
    error: outcome.attempt?.error,
    ...(retryIn !== undefined ? { retryInSeconds: retryIn } : {}),
  };
  if (outcome.status === 'sent') logger.info('delivery attempt', line);
  else logger.warn('delivery attempt', line);
  const counter = { sent: 'Sent', failed: 'Failed', retrying: 'Retried', dead: 'Dead' }[outcome.status as 'sent'];
  // Records of a batch are processed concurrently: a metric object per attempt keeps dimensions apart.
  for (const [name, unit, value] of [
    ['Attempts', MetricUnit.Count, 1],
    [counter, MetricUnit.Count, 1],
    ['DeliveryLatency', MetricUnit.Milliseconds, latencyMs],
  ] as const) {
    const metric = metrics.singleMetric();
    metric.addDimension('channel', fields['channel'] as string);
    metric.addMetric(name, unit, value);
  }
}
