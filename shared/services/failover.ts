import { DEFAULT_FAILOVER_SECONDS, entryNotifiers } from '../core/escalation.js';
import type { FailoverTimer, TimerQueue } from '../core/ports.js';
import { planDeliveries } from '../core/routing.js';
import type { Incident } from '../core/incidents.js';
import { isHealthy, stateOf } from '../core/state-change.js';
import { shownStatus, type Delivery, type DeliveryMessage, type HeraldEvent, type Notifier } from '../core/types.js';
import { carrierOf } from '../delivery-ids.js';
import { deliveryIdFor } from '../ids.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';
import type { TimerToSet } from './escalation.js';
import { commit } from './ingest.js';
import { reachIn } from './reach.js';

/**
 * Failover (core/escalation.ts): a delivery of a notifier with a failover that ends failed or
 * dead, or is still not sent after `afterSeconds`, has its event sent to the next entry of the
 * list, as a new delivery of the same event (`failoverOf` names the one it stands in for,
 * which reads `failedOverTo` back). If that one fails or is late too, the entry after it.
 * Done by the failover timer's handler: the channel functions only set a timer (no delay),
 * so they need no permission beyond sending to the timer queue.
 */

/** The late timers of deliveries just queued: each is failed over if still unsent after its notifier's wait. */
export function lateFailovers(messages: readonly DeliveryMessage[], now: Date): TimerToSet[] {
  return messages.flatMap(({ delivery, notifier }) =>
    notifier.failover && !delivery.failoverBy
      ? [
          {
            timer: { kind: 'failover', appId: delivery.appId, deliveryId: delivery.id, notifierId: notifier.id, entry: 1, why: 'late' },
            at: new Date(now.getTime() + (notifier.failover.afterSeconds ?? DEFAULT_FAILOVER_SECONDS) * 1000),
          },
        ]
      : [],
  );
}

/** A delivery ended failed or dead: the next entry of its list is due at once (the timer's handler decides). */
export async function failOverEnded(timers: TimerQueue, message: DeliveryMessage, now: Date): Promise<void> {
  const { delivery, notifier } = message;
  const next = delivery.failoverBy
    ? { notifierId: delivery.failoverBy.notifierId, entry: delivery.failoverBy.entry + 1 }
    : notifier.failover
      ? { notifierId: notifier.id, entry: 1 }
      : undefined;
  if (!next) return;
  await timers.set([{ timer: { kind: 'failover', appId: delivery.appId, deliveryId: delivery.id, ...next, why: 'failed' }, at: now }]);
}

export type FailoverDeps = Pick<HeraldDeps, 'deliveries' | 'routing' | 'events' | 'queue' | 'states' | 'timers' | 'incidents'>;

/**
 * The failover timer: unless the delivery went through (or failed over already), the entry's
 * notifiers get its event; an entry that reaches nobody (gone, disabled) is passed over for
 * the next. Ids come from the delivery and the entry: a timer firing twice, or the late timer
 * and the failure both, send once.
 */
export async function failOver(deps: FailoverDeps, timer: FailoverTimer, now: Date): Promise<void> {
  const fields = { appId: timer.appId, deliveryId: timer.deliveryId, notifierId: timer.notifierId, entry: timer.entry, why: timer.why };
  const delivery = await deps.deliveries.get(timer.appId, timer.deliveryId);
  const status = delivery && shownStatus(delivery.status, delivery.attempts);
  if (!delivery || (await wentThrough(deps, delivery))) {
    logger.debug('no failover: the delivery went through (or is gone)', { ...fields, status });
    return;
  }
  if (delivery.failedOverTo?.length) return;
  const view = await deps.routing.view(timer.appId);
  const owner = view.notifiers.find((n) => n.id === timer.notifierId);
  const to = owner?.failover?.to ?? [];
  // The first entry from the timer's on that reaches someone (1-based; 0: none).
  const reach = reachIn(view);
  const targetsOf = (e: (typeof to)[number]): Notifier[] =>
    owner ? entryNotifiers(view.notifiers, [e], owner).filter((n) => reach(n).length > 0) : [];
  const entry = to.findIndex((e, i) => i >= timer.entry - 1 && targetsOf(e).length > 0) + 1;
  const targets: Notifier[] = entry ? targetsOf(to[entry - 1] as (typeof to)[number]) : [];
  if (!view.app || !owner?.failover || targets.length === 0) {
    logger.info('no failover: no further entry reaches anyone', fields);
    return;
  }
  const event = await deps.events.get(timer.appId, delivery.eventId);
  if (!event) throw new Error(`Herald: the event ${delivery.eventId} of ${delivery.id} is not stored`);
  const handled = await handledIncident(deps, event);
  if (handled) {
    logger.info(`no failover: the failure's incident is ${handled.status}`, { ...fields, incidentId: handled.id });
    return;
  }
  const planned = planDeliveries({
    event,
    app: view.app,
    notifiers: targets,
    reach,
    alsoNotify: new Set(targets.map((n) => n.id)),
    deliveryId: deliveryIdFor(event.id, `failover\n${delivery.id}\n${owner.id}\n${entry}`),
    now: now.toISOString(),
  });
  const failoverBy = { notifierId: owner.id, entry };
  for (const p of planned) {
    Object.assign(p.delivery, { failoverOf: delivery.id, failoverBy });
    Object.assign(p.message.delivery, { failoverOf: delivery.id, failoverBy });
  }
  // Late in turn: the entry after it, after the owner's wait.
  const late = new Date(now.getTime() + (owner.failover.afterSeconds ?? DEFAULT_FAILOVER_SECONDS) * 1000);
  const timers: TimerToSet[] =
    entry < to.length
      ? planned.map((p) => ({ timer: { ...timer, deliveryId: p.delivery.id, entry: entry + 1, why: 'late' as const }, at: late }))
      : [];
  await commit(deps, [{ check: { unchanged: false, event }, planned, toSend: planned, resumed: false, now, timers }]);
  logger.info('delivery failed over', { ...fields, entry, to: planned.map((p) => p.delivery.id) });
}

/**
 * Whether a delivery reached its recipient, or will without a failover: sent, suppressed or
 * grouped; coalesced into a notification whose carrier was sent or is still on its way (a
 * carrier that failed or was suppressed took its members with it: they fail over).
 */
async function wentThrough(deps: Pick<HeraldDeps, 'deliveries'>, delivery: Delivery): Promise<boolean> {
  const status = shownStatus(delivery.status, delivery.attempts);
  if (status === 'sent' || status === 'suppressed' || status === 'grouped') return true;
  if (status !== 'coalesced') return false;
  const carrierId = carrierOf(delivery.reason);
  const carrier = carrierId && (await deps.deliveries.get(delivery.appId, carrierId));
  if (!carrier) return false;
  return !['failed', 'dead', 'suppressed'].includes(shownStatus(carrier.status, carrier.attempts));
}

/**
 * The incident of a failure, once someone acknowledged or resolved it: nobody needs to be
 * reached about that failure any more (as escalation steps stop). A recovery still fails over.
 */
async function handledIncident(deps: Pick<HeraldDeps, 'incidents'>, event: HeraldEvent): Promise<Incident | undefined> {
  const state = event.incident && stateOf(event);
  if (!event.incident || !state || isHealthy(state.status)) return undefined;
  const incident = await deps.incidents.get(event.appId, event.incident.id);
  return incident && incident.status !== 'open' ? incident : undefined;
}
