import { toMessage } from '../core/routing.js';
import type { App, Delivery, DeliveryMessage, HeraldEvent, Notifier } from '../core/types.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';
import { announce } from './lifecycle.js';

export interface SweepOptions {
  /** How overdue a delivery must be before it is queued again. */
  graceSeconds: number;
  maxPerRun: number;
  disableAfterDays: number;
}

export interface SweepResult {
  requeued: number;
  ended: number;
  disabled: number;
}

/**
 * The sweeper, run on a schedule (and by local mode at start, with no grace). The delivery
 * records are the outbox: deliveries that should be on a queue and are overdue (an enqueue
 * that failed, a message lost, local mode's in-memory queues after a restart) are queued
 * again, rebuilt from their event and notifier; a delivery queued twice is still sent once,
 * since it is claimed before it is sent. Notifiers whose endpoint has failed every delivery
 * for `disableAfterDays` are disabled, and the app is told.
 */
export async function sweep(deps: HeraldDeps, options: SweepOptions): Promise<SweepResult> {
  const now = deps.clock();
  const due = await deps.deliveries.due(new Date(now.getTime() - options.graceSeconds * 1000), options.maxPerRun);
  const { messages, ended } = await rebuild(deps, due);
  const notQueued = new Set(await deps.queue.enqueue(messages));
  const queued = messages.filter((m) => !notQueued.has(m.delivery.id));
  // Give what was queued time to go out before looking at it again.
  const later = new Date(now.getTime() + Math.max(options.graceSeconds, 60) * 1000);
  await Promise.all(queued.map((m) => deps.deliveries.snooze(m.delivery, later)));
  const disabled = await disableFailing(deps, new Date(now.getTime() - options.disableAfterDays * 86_400_000));
  if (due.length || disabled) logger.trace('sweep', { requeued: queued.length, ended, disabled, notQueued: notQueued.size });
  return { requeued: queued.length, ended, disabled };
}

async function rebuild(deps: HeraldDeps, deliveries: Delivery[]): Promise<{ messages: DeliveryMessage[]; ended: number }> {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, load());
    return cache.get(key) as Promise<T>;
  };
  const messages: DeliveryMessage[] = [];
  let ended = 0;
  for (const delivery of deliveries) {
    const [event, app, notifier] = await Promise.all([
      once<HeraldEvent | undefined>(`e/${delivery.eventId}`, () => deps.events.get(delivery.appId, delivery.eventId)),
      once<App | undefined>(`a/${delivery.appId}`, () => deps.apps.get(delivery.appId)),
      // The notifier is the app's own or a global one.
      once<Notifier | undefined>(
        `n/${delivery.notifierId}`,
        async () => (await deps.notifiers.get(delivery.appId, delivery.notifierId)) ?? deps.notifiers.get('*', delivery.notifierId),
      ),
    ]);
    if (event && app && notifier) {
      messages.push(toMessage(delivery, event, app, notifier));
      continue;
    }
    const reason = !notifier ? 'the notifier was deleted' : 'the app or the event was deleted';
    await deps.deliveries.record(delivery, { status: 'failed', reason });
    ended++;
  }
  return { messages, ended };
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
