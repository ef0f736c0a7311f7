import { DELIVERY } from '../resources.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';
import { announce } from './lifecycle.js';
import { queueDeliveries, rebuildMessages } from './queueing.js';

export interface SweepOptions {
  /** How long a queued delivery is left to its queue before the sweeper looks at it again. */
  graceSeconds: number;
  /** Also take deliveries the sweeper would look at this much later (local mode's start: everything due now). */
  lookAheadSeconds?: number;
  maxPerRun: number;
  disableAfterDays: number;
  /** How long a run may spend on data migrations (default 10 s). */
  migrationSeconds?: number;
}

export interface SweepResult {
  /** Deliveries the sweeper looked at (maxPerRun: there may be more). */
  found: number;
  requeued: number;
  /** Recorded failed: their notifier, app or event is gone, or a queue refused them for good. */
  ended: number;
  /** Could not be queued for now: looked at again after the grace, behind the others. */
  notQueued: number;
  disabled: number;
}

/**
 * The sweeper, run on a schedule (and by local mode at start, looking ahead by the grace).
 * The delivery records are the outbox: deliveries that should be on a queue and are overdue
 * (an enqueue that failed, a message lost, a claim gone stale because its function died,
 * local mode's in-memory queues after a restart) are queued again, rebuilt from their event
 * and notifier; a delivery queued twice is still sent once, since it is claimed before it
 * is sent. Every delivery it looks at is snoozed, queued or not, so that the next run's
 * oldest-first page reaches the others. Notifiers whose endpoint has failed every delivery
 * for `disableAfterDays` are disabled, and the app is told.
 */
export async function sweep(deps: HeraldDeps, options: SweepOptions): Promise<SweepResult> {
  const now = deps.clock();
  const due = await deps.deliveries.due(new Date(now.getTime() + (options.lookAheadSeconds ?? 0) * 1000), options.maxPerRun);
  // An attempt under way is left to finish: a claim is the sweeper's only once it is stale (its function died).
  const staleBefore = now.getTime() - DELIVERY.staleClaimSeconds * 1000;
  const overdue = due.filter((d) => d.status !== 'sending' || !d.claimedAt || Date.parse(d.claimedAt) < staleBefore);
  const { messages, ended } = await rebuildMessages(deps, overdue);
  const { queued, failed, later } = await queueDeliveries(deps, messages);
  const lookAgainAt = new Date(now.getTime() + ((options.lookAheadSeconds ?? 0) + options.graceSeconds) * 1000);
  // A delivery that ended meanwhile (sent, failed) has left the index: its snooze changes nothing.
  await Promise.all(messages.map((m) => deps.deliveries.snooze(m.delivery, lookAgainAt)));
  const result = {
    found: due.length,
    requeued: queued,
    ended: ended + failed.length,
    notQueued: later.length,
    disabled: await disableFailing(deps, new Date(now.getTime() - options.disableAfterDays * 86_400_000)),
  };
  // Data migrations go on where the last run stopped, within a bounded share of the run.
  await deps.migrations.run(Date.now() + (options.migrationSeconds ?? 10) * 1000);
  if (due.length || result.disabled) logger.trace('sweep', result);
  return result;
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
        message: `Herald disabled the notifier "${notifier.name}" (${notifier.channel}): ${reason}. Fix the endpoint, then enable it again (PATCH {"enabled": true}).`,
        data: { notifierId: notifier.id, name: notifier.name, channel: notifier.channel, failingSince: notifier.failingSince },
      });
    }
  }
  return disabled;
}
