import type { Channel, SendContext } from '../channels/channel.js';
import type { DeliveryStore } from '../core/ports.js';
import type { Attempt, DeliveryMessage } from '../core/types.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../errors.js';
import { logger, metrics } from '../telemetry.js';
import { MetricUnit } from '@aws-lambda-powertools/metrics';

export interface DeliverDeps {
  channel: Channel<any>;
  deliveries: DeliveryStore;
  context: SendContext;
  clock: () => Date;
}

export type DeliverOutcome = 'sent' | 'failed' | 'retrying' | 'skipped';

/**
 * One attempt of one delivery: claim it (a conditional write, so a message received twice
 * is sent once), send it, record the outcome (a second write) and log one line. A
 * transient failure is recorded and rethrown, so that the queue offers the message again.
 */
export async function deliver(deps: DeliverDeps, message: DeliveryMessage): Promise<DeliverOutcome> {
  const { delivery } = message;
  const fields = {
    appId: delivery.appId,
    eventId: delivery.eventId,
    notifierId: delivery.notifierId,
    deliveryId: delivery.id,
    channel: delivery.channel,
  };
  const started = deps.clock();
  const n = await deps.deliveries.claim(delivery, started);
  if (n === undefined) {
    logger.info('delivery skipped: already sent, in progress or gone', { ...fields, outcome: 'skipped' });
    return 'skipped';
  }

  const t0 = performance.now();
  let attempt: Attempt;
  let failure: unknown;
  try {
    const result = await deps.channel.send(message, deps.context);
    attempt = {
      n,
      at: started.toISOString(),
      outcome: 'sent',
      ...(result.statusCode ? { statusCode: result.statusCode } : {}),
      latencyMs: elapsed(t0),
    };
  } catch (err) {
    failure = err;
    const permanent = err instanceof PermanentDeliveryError;
    const statusCode = err instanceof PermanentDeliveryError || err instanceof TransientDeliveryError ? err.statusCode : undefined;
    attempt = {
      n,
      at: started.toISOString(),
      outcome: permanent ? 'failed' : 'retrying',
      ...(statusCode ? { statusCode } : {}),
      error: err instanceof Error ? err.message : String(err),
      latencyMs: elapsed(t0),
    };
  }

  const status = attempt.outcome;
  await deps.deliveries.recordAttempt(delivery, attempt, status, status === 'failed' ? attempt.error : undefined);
  const line = {
    ...fields,
    attempt: n,
    outcome: status,
    latencyMs: attempt.latencyMs,
    statusCode: attempt.statusCode,
    error: attempt.error,
  };
  if (status === 'sent') logger.info('delivery attempt', line);
  else logger.warn('delivery attempt', line);
  // Records of a batch are processed concurrently: a metric of its own per attempt keeps dimensions apart.
  for (const [name, unit, value] of [
    [status === 'sent' ? 'Sent' : status === 'failed' ? 'Failed' : 'Retried', MetricUnit.Count, 1],
    ['DeliveryLatency', MetricUnit.Milliseconds, attempt.latencyMs],
  ] as const) {
    const metric = metrics.singleMetric();
    metric.addDimension('channel', delivery.channel);
    metric.addMetric(name, unit, value);
  }
  if (status === 'retrying') throw failure;
  return status;
}

const elapsed = (t0: number): number => Math.round(performance.now() - t0);
