import type { AppStore, DeliveryQueue, DeliveryStore, EventStore, NotifierStore } from '../core/ports.js';
import { toMessage } from '../core/routing.js';
import type { App, DeliveryMessage, HeraldEvent, Notifier } from '../core/types.js';
import { logger } from '../telemetry.js';

export type RequeueDeps = { deliveries: DeliveryStore; events: EventStore; apps: AppStore; notifiers: NotifierStore; queue: DeliveryQueue };

/**
 * Put the deliveries that still wait to be sent back on their queues, rebuilt from the
 * delivery records, their events and notifiers. Local mode runs it at start (its queues
 * live in memory); a delivery is claimed before it is sent, so one queued twice is sent once.
 */
export async function requeuePending(deps: RequeueDeps): Promise<number> {
  const events = new Map<string, Promise<HeraldEvent | undefined>>();
  const apps = new Map<string, Promise<App | undefined>>();
  const notifiers = new Map<string, Promise<Notifier | undefined>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = load()));
    return hit;
  };
  const messages: DeliveryMessage[] = [];
  for await (const delivery of deps.deliveries.pending()) {
    const [event, app, notifier] = await Promise.all([
      once(events, delivery.eventId, () => deps.events.get(delivery.appId, delivery.eventId)),
      once(apps, delivery.appId, () => deps.apps.get(delivery.appId)),
      // The notifier is the app's own or a global one.
      once(
        notifiers,
        delivery.notifierId,
        async () => (await deps.notifiers.get(delivery.appId, delivery.notifierId)) ?? deps.notifiers.get('*', delivery.notifierId),
      ),
    ]);
    if (!event || !app || !notifier) {
      logger.warn('pending delivery not requeued: its event, app or notifier is gone', { deliveryId: delivery.id, appId: delivery.appId });
      continue;
    }
    messages.push(toMessage(delivery, event, app, notifier));
  }
  const failed = await deps.queue.enqueue(messages);
  return messages.length - failed.length;
}
