import type { NotQueued } from '../core/ports.js';
import { toMessage, type RoutingInput } from '../core/routing.js';
import { INSTALLATION, type Delivery, type DeliveryMessage, type HeraldEvent, type Notifier } from '../core/types.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';

/** What became of deliveries sent to their queues. */
export interface Queued {
  queued: number;
  /** Refused for good, and recorded `failed` with the reason. */
  failed: NotQueued[];
  /** Not queued for now: their records stay due, and the sweeper tries again. */
  later: NotQueued[];
}

/**
 * Put deliveries on their queues. One that a queue refuses for good (SQS's size limit, a
 * character it will not take) is recorded `failed` with the reason, so that it never waits
 * forever and never holds up the sweeper's oldest-first pages.
 */
export async function queueDeliveries(deps: Pick<HeraldDeps, 'queue' | 'deliveries'>, messages: DeliveryMessage[]): Promise<Queued> {
  const notQueued = messages.length ? await deps.queue.enqueue(messages) : [];
  const failed = notQueued.filter((n) => n.permanent);
  if (failed.length) {
    const byId = new Map(messages.map((m) => [m.delivery.id, m.delivery]));
    await Promise.all(
      failed.map(async ({ deliveryId, reason }) => {
        const delivery = byId.get(deliveryId);
        if (!delivery) return;
        await deps.deliveries.record(delivery, { status: 'failed', reason: `not queued: ${reason}` });
        logger.warn('delivery ended', { ...fieldsOf(delivery), outcome: 'failed', reason });
      }),
    );
  }
  return { queued: messages.length - notQueued.length, failed, later: notQueued.filter((n) => !n.permanent) };
}

const fieldsOf = (d: DeliveryMessage['delivery']) => ({
  appId: d.appId,
  eventId: d.eventId,
  notifierId: d.notifierId,
  deliveryId: d.id,
  channel: d.channel,
});

/**
 * The queue messages of stored deliveries (the sweeper's, a redrive's), rebuilt from their
 * event, app and notifier (each read once). A delivery whose notifier, app or event is gone
 * is recorded `failed` instead.
 */
export async function rebuildMessages(
  deps: Pick<HeraldDeps, 'events' | 'apps' | 'notifiers' | 'deliveries'>,
  deliveries: Delivery[],
): Promise<{ messages: DeliveryMessage[]; ended: number }> {
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
      once<RoutingInput['app'] | undefined>(`a/${delivery.appId}`, async () =>
        delivery.appId === INSTALLATION.id ? INSTALLATION : deps.apps.get(delivery.appId),
      ),
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
