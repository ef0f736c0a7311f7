import { partsOf } from './record-parts.js';
import { wantsEvent } from './selection.js';
import type { App, Delivery, DeliveryMessage, HeraldEvent, Notifier } from './types.js';

export interface PlannedDelivery {
  delivery: Delivery;
  message: DeliveryMessage;
}

export interface RoutingInput {
  event: HeraldEvent;
  app: Pick<App, 'id' | 'name' | 'metadata' | 'locale'>;
  /** The app's own notifiers and the global ones. */
  notifiers: readonly Notifier[];
  /** Who a notifier's target names (the channel decides). */
  recipientsOf: (notifier: Notifier) => string[];
  /** Notifiers that get the event whatever their selection (a recovery, to those told of the failure). */
  alsoNotify?: ReadonlySet<string>;
  /** The delivery's id; the same notifier and recipient of the same event give the same id. */
  deliveryId: (notifierId: string, recipient: string) => string;
  now: string;
}

/**
 * Event → matching notifiers → recipients → one delivery each. A recipient that two
 * notifiers name on the same channel (an app's and a global one, say) gets the event once,
 * through the first: the app's own notifiers come first. Pure: the caller stores the
 * deliveries and queues the messages.
 */
export function planDeliveries(input: RoutingInput): PlannedDelivery[] {
  const { event, app, now } = input;
  const planned: { delivery: Delivery; notifier: Notifier }[] = [];
  const reached = new Set<string>();
  for (const notifier of input.notifiers) {
    const forced = notifier.enabled && input.alsoNotify?.has(notifier.id);
    if (!forced && !wantsEvent(notifier, event)) continue;
    for (const recipient of input.recipientsOf(notifier)) {
      const key = `${notifier.channel} ${recipient}`;
      if (reached.has(key)) continue;
      reached.add(key);
      const delivery: Delivery = {
        id: input.deliveryId(notifier.id, recipient),
        eventId: event.id,
        eventType: event.type,
        appId: app.id,
        notifierId: notifier.id,
        channel: notifier.channel,
        recipient,
        status: 'queued',
        createdAt: now,
        attempts: [],
      };
      planned.push({ delivery, notifier });
    }
  }
  // Where each is stored, known before its message is made: the message says it to the claim.
  const parts = partsOf(planned.map((p) => p.delivery.id));
  return planned.map(({ delivery, notifier }) => {
    const part = parts.get(delivery.id);
    if (part) delivery.part = part;
    return { delivery, message: toMessage(delivery, event, app, notifier) };
  });
}

/** The self-contained queue message for one delivery (also used to re-enqueue one). */
export function toMessage(delivery: Delivery, event: HeraldEvent, app: RoutingInput['app'], notifier: Notifier): DeliveryMessage {
  const { id, eventId, appId, notifierId, channel, recipient, part } = delivery;
  return {
    v: 1,
    delivery: { id, eventId, appId, notifierId, channel, recipient, ...(part ? { part } : {}) },
    event,
    app: { id: app.id, name: app.name, ...(app.metadata ? { metadata: app.metadata } : {}), ...(app.locale ? { locale: app.locale } : {}) },
    notifier: {
      id: notifier.id,
      appId: notifier.appId,
      name: notifier.name,
      target: notifier.target,
      ...(notifier.locale ? { locale: notifier.locale } : {}),
      ...(notifier.templates ? { templates: notifier.templates } : {}),
      ...(notifier.timeZone ? { timeZone: notifier.timeZone } : {}),
      ...(notifier.rate ? { rate: notifier.rate } : {}),
    },
  };
}
