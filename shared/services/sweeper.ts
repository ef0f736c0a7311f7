import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Delivery } from '../core/types.js';
import { logger, metrics, metricsOn } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';
import { announce } from './lifecycle.js';
import { queueStored, rebuildMessages } from './queueing.js';

export interface SweepOptions {
  /** How long a delivery that could not be queued waits before the sweeper tries it again. */
  graceSeconds: number;
  maxPerRun: number;
  disableAfterDays: number;
  /** How long a run may spend on data migrations (default 10 s). */
  migrationSeconds?: number;
  /** A delivery due longer ago than this is counted overdue (default 300 s). */
  overdueAfterSeconds?: number;
}

export interface SweepResult {
  /** Deliveries the sweeper looked at (maxPerRun: there may be more). */
  found: number;
  requeued: number;
  /** Recorded failed: their notifier, app or event is gone, or a queue refused them for good. */
  ended: number;
  /** Could not be queued for now: looked at again after the grace, behind the others. */
  notQueued: number;
  /** Of those found, the ones due over `overdueAfterSeconds` ago: they should have gone out already. */
  overdue: number;
  disabled: number;
}

/**
 * The sweeper, run on a schedule (and by local mode at start). Every delivery waiting to be
 * sent is on a queue, its retries included (hidden there until due), except those no queue
 * holds: a delivery whose enqueue failed, or one held until a time (quiet hours). Those are
 * marked; the sweeper queues the ones due, rebuilt from their event and notifier (a
 * delivery queued twice is still sent once: it is claimed before it is sent), and forgets
 * them. One that cannot be queued now is looked at again after the grace, behind the
 * others, so that a page of stuck ones never hides the rest. Notifiers whose endpoint has
 * failed every delivery for `disableAfterDays` are disabled, and the app is told.
 */
export async function sweep(deps: HeraldDeps, options: SweepOptions): Promise<SweepResult> {
  const now = deps.clock();
  const due = await deps.deliveries.unqueued(now, options.maxPerRun);
  // One sent or ended meanwhile (another copy went out) only needs forgetting.
  const waiting = due.filter((d) => d.status === 'queued' || d.status === 'retrying');
  const { messages, ended } = await rebuildMessages(deps, waiting);
  const { queued, failed, later } = await queueStored(deps, messages, now, options.graceSeconds);
  const notQueued = new Set(later.map((n) => n.deliveryId));
  await Promise.all(due.filter((d) => !notQueued.has(d.id)).map((d) => deps.deliveries.markQueued(d)));
  const result = {
    found: due.length,
    requeued: queued,
    ended: ended.length + failed.length,
    notQueued: later.length,
    overdue: overdueOf(waiting, now, options.overdueAfterSeconds ?? 300),
    disabled: await disableFailing(deps, new Date(now.getTime() - options.disableAfterDays * 86_400_000)),
  };
  // Data migrations go on where the last run stopped, within a bounded share of the run.
  await deps.migrations.run(Date.now() + (options.migrationSeconds ?? 10) * 1000);
  logger.trace('sweep', result);
  publishSweep(result);
  return result;
}

/** Waiting deliveries due (their retry or hold time, else their creation) more than `seconds` before `now`. */
export function overdueOf(deliveries: Delivery[], now: Date, seconds: number): number {
  const before = now.getTime() - seconds * 1000;
  return deliveries.filter((d) => Date.parse(d.nextAttemptAt ?? d.createdAt) < before).length;
}

/**
 * One EMF document per run, in the namespace and `service` dimension of the delivery
 * metrics: `OverdueDeliveries` (the stack alarms on it) and `Requeued`. Published at every
 * run, zeros included, so that the alarm sees a sweeper that runs.
 */
export function publishSweep(result: SweepResult): void {
  if (!metricsOn()) return; // local mode and tests
  metrics.addMetric('OverdueDeliveries', MetricUnit.Count, result.overdue);
  metrics.addMetric('Requeued', MetricUnit.Count, result.requeued);
  metrics.publishStoredMetrics();
}

async function disableFailing(deps: HeraldDeps, failingBefore: Date): Promise<number> {
  let disabled = 0;
  for (const notifier of await deps.notifiers.failingSince(failingBefore)) {
    if (!notifier.enabled) continue;
    const reason = `every delivery has failed since ${notifier.failingSince}`;
    await deps.notifiers.put({ ...notifier, enabled: false, disabledReason: reason, updatedAt: deps.clock().toISOString() });
    deps.routing.invalidate(notifier.appId);
    disabled++;
    logger.warn('notifier disabled', { appId: notifier.appId, notifierId: notifier.id, reason });
    if (notifier.appId !== '*') {
      await announce(deps, notifier.appId, {
        type: 'notifier_disabled',
        title: `Notifier "${notifier.name}" was disabled`,
        message: `Herald disabled the notifier "${notifier.name}" (${notifier.channel ?? 'contacts'}): ${reason}. Fix the endpoint, then enable it again (PATCH {"enabled": true}).`,
        data: {
          notifierId: notifier.id,
          name: notifier.name,
          ...(notifier.channel ? { channel: notifier.channel } : {}),
          failingSince: notifier.failingSince,
        },
      });
    }
  }
  return disabled;
}
