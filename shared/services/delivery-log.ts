import type { DeliveryFilter, Page, PageRequest } from '../core/ports.js';
import { INSTALLATION, shownStatus, type Delivery, type Family, type ShownDelivery } from '../core/types.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { getApp } from './apps.js';
import type { HeraldDeps } from './deps.js';
import { shown } from './history.js';
import { queueStored, rebuildMessages } from './queueing.js';

/**
 * The delivery log as the console and the API read it: an app's deliveries (or the
 * installation's, `*`: the tests of global notifiers), a notifier's figures, the dead
 * letters of a family, and a resend of one failed or dead delivery.
 */

type Deps = Pick<HeraldDeps, 'apps' | 'events' | 'deliveries'>;

/** An app, or the installation (`*`), where global notifiers' tests are filed. */
async function checkScope(deps: Pick<HeraldDeps, 'apps'>, appId: string): Promise<void> {
  if (appId !== INSTALLATION.id) await getApp(deps, appId);
}

/**
 * Deliveries stored before the event's type was kept on them get it from their event
 * (each event read once); the data migration `delivery-event-type` adds it for good.
 */
async function withEventTypes(deps: Pick<HeraldDeps, 'events'>, deliveries: Delivery[]): Promise<Delivery[]> {
  const types = new Map<string, Promise<string | undefined>>();
  return Promise.all(
    deliveries.map(async (d) => {
      if (d.eventType) return d;
      const key = `${d.appId}/${d.eventId}`;
      if (!types.has(key))
        types.set(
          key,
          deps.events.get(d.appId, d.eventId).then((e) => e?.type),
        );
      const eventType = await types.get(key);
      return eventType ? { ...d, eventType } : d;
    }),
  );
}

export async function listDeliveries(deps: Deps, appId: string, filter: DeliveryFilter, page: PageRequest): Promise<Page<ShownDelivery>> {
  await checkScope(deps, appId);
  const result = await deps.deliveries.list(appId, filter, page);
  return { ...result, items: (await withEventTypes(deps, result.items)).map(shown) };
}

export async function getDelivery(deps: Deps, appId: string, deliveryId: string): Promise<ShownDelivery> {
  await checkScope(deps, appId);
  const delivery = await deps.deliveries.get(appId, deliveryId);
  if (!delivery) throw new NotFoundError(`Delivery ${deliveryId}`);
  return shown((await withEventTypes(deps, [delivery]))[0] as Delivery);
}

/** A family's dead deliveries, the longest dead first, with their last error. */
export async function listDeadLetters(deps: Deps, family: Family, page: PageRequest): Promise<Page<ShownDelivery>> {
  const result = await deps.deliveries.listDead(family, page);
  return { ...result, items: (await withEventTypes(deps, result.items)).map(shown) };
}

const DAY_MS = 24 * 3600 * 1000;

/** A notifier's figures over the deliveries created since `since` (default: the last 24 hours). */
export async function notifierStats(
  deps: Pick<HeraldDeps, 'apps' | 'notifiers' | 'deliveries' | 'clock'>,
  appId: string,
  notifierId: string,
  since?: Date,
) {
  await checkScope(deps, appId);
  // The app's own notifier, or a global one: its deliveries for this app.
  const notifier = (await deps.notifiers.get(appId, notifierId)) ?? (await deps.notifiers.get(INSTALLATION.id, notifierId));
  if (!notifier) throw new NotFoundError(`Notifier ${notifierId}`);
  const until = deps.clock();
  const from = since ?? new Date(until.getTime() - DAY_MS);
  const stats = await deps.deliveries.stats(appId, notifierId, { since: from, until });
  const { sent, failed, dead } = stats.counts;
  const ended = sent + failed + dead;
  return {
    notifierId,
    since: from.toISOString(),
    until: until.toISOString(),
    ...stats.counts,
    successRate: ended ? sent / ended : null,
    latencyMs: stats.latencyMs,
    ...(stats.last ? { last: stats.last } : {}),
    complete: stats.complete,
    coveredSince: stats.coveredSince,
  };
}

/**
 * A new attempt of a failed or dead delivery: the same delivery (same id, so the same
 * `webhook-id`: receivers dedupe) made sendable with a fresh set of attempts, by the
 * conditional write a redrive uses, and queued. A dead one leaves the dead letters, and a
 * later redrive of its old DLQ message sends nothing (it is no longer dead). 409 for one
 * that is pending, sent or suppressed.
 */
export async function resendDelivery(
  deps: Pick<HeraldDeps, 'apps' | 'events' | 'notifiers' | 'deliveries' | 'queue' | 'clock' | 'contacts'>,
  appId: string,
  deliveryId: string,
): Promise<ShownDelivery> {
  await checkScope(deps, appId);
  const delivery = await deps.deliveries.get(appId, deliveryId);
  if (!delivery) throw new NotFoundError(`Delivery ${deliveryId}`);
  const status = shownStatus(delivery.status, delivery.attempts);
  if (status !== 'failed' && status !== 'dead') {
    throw new ConflictError(`Delivery ${deliveryId} is ${status}: only a failed or dead delivery can be resent`);
  }
  if (!(await deps.deliveries.revive(delivery, deps.clock(), status))) {
    throw new ConflictError(`Delivery ${deliveryId} changed meanwhile: it is no longer ${status}`);
  }
  // A delivery whose notifier, app or event is gone is recorded failed, with why, instead.
  const { messages } = await rebuildMessages(deps, [delivery]);
  await queueStored(deps, messages, deps.clock(), 0);
  return getDelivery(deps, appId, deliveryId);
}
