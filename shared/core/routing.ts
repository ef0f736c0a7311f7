import type { Reach } from './contacts.js';
import type { QuietHours } from './quiet-hours.js';
import { partsOf } from './record-parts.js';
import { reaches, wantsEvent } from './selection.js';
import type { App, Delivery, DeliveryMessage, HeraldEvent, Notifier } from './types.js';

export interface PlannedDelivery {
  delivery: Delivery;
  message: DeliveryMessage;
  /** The quiet hours of the contact it goes to, which apply instead of the notifier's. */
  quietHours?: QuietHours;
}

export interface RoutingInput {
  event: HeraldEvent;
  app: Pick<App, 'id' | 'name' | 'metadata' | 'locale'>;
  /** The app's own notifiers and the global ones. */
  notifiers: readonly Notifier[];
  /** Whom a notifier reaches: its target's recipients, or its contacts' channels (core/contacts.ts notifierReach). */
  reach: (notifier: Notifier) => Reach[];
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
  const planned: { delivery: Delivery; notifier: Notifier; reach: Reach }[] = [];
  const reached = new Set<string>();
  for (const notifier of input.notifiers) {
    const forced = notifier.enabled && input.alsoNotify?.has(notifier.id);
    if (!forced && !wantsEvent(notifier, event)) continue;
    // An escalation policy reaches nobody itself: its steps are planned as their own (services/escalation.ts).
    for (const reach of input.reach(notifier)) {
      // A contact's channel that wants only graver events (SMS for critical ones, say).
      if (!forced && !reaches(event.severity, reach.minSeverity)) continue;
      const { channel, recipient } = reach;
      const key = `${channel} ${recipient}`;
      if (reached.has(key)) continue;
      reached.add(key);
      const delivery: Delivery = {
        // A contact's recipient may be on two of its channels (SMS and WhatsApp): its channel is in its id.
        id: input.deliveryId(notifier.id, reach.contactId ? key : recipient),
        eventId: event.id,
        eventType: event.type,
        appId: app.id,
        notifierId: notifier.id,
        channel,
        recipient,
        status: 'queued',
        createdAt: now,
        attempts: [],
      };
      planned.push({ delivery, notifier, reach });
    }
  }
  // Where each is stored, known before its message is made: the message says it to the claim.
  const parts = partsOf(planned.map((p) => p.delivery.id));
  return planned.map(({ delivery, notifier, reach }) => {
    const part = parts.get(delivery.id);
    if (part) delivery.part = part;
    const message = toMessage(delivery, event, app, notifier, reach);
    return { delivery, message, ...(reach.quietHours ? { quietHours: reach.quietHours } : {}) };
  });
}

/**
 * The self-contained queue message for one delivery (also used to re-enqueue one). A contact's
 * reach carries its target, language and time zone instead of the notifier's.
 */
export function toMessage(
  delivery: Delivery,
  event: HeraldEvent,
  app: RoutingInput['app'],
  notifier: Notifier,
  reach?: Pick<Reach, 'target' | 'locale' | 'timeZone' | 'contactId'>,
): DeliveryMessage {
  const locale = reach?.contactId ? reach.locale : notifier.locale;
  const timeZone = reach?.contactId ? reach.timeZone : notifier.timeZone;
  const { id, eventId, appId, notifierId, channel, recipient, part, escalation, failoverOf, failoverBy } = delivery;
  return {
    v: 1,
    delivery: {
      id,
      eventId,
      appId,
      notifierId,
      channel,
      recipient,
      ...(part ? { part } : {}),
      ...(escalation ? { escalation } : {}),
      ...(failoverOf ? { failoverOf, failoverBy } : {}),
    },
    event,
    app: { id: app.id, name: app.name, ...(app.metadata ? { metadata: app.metadata } : {}), ...(app.locale ? { locale: app.locale } : {}) },
    notifier: {
      id: notifier.id,
      appId: notifier.appId,
      name: notifier.name,
      target: reach?.target ?? notifier.target ?? {},
      ...(locale ? { locale } : {}),
      ...(notifier.templates ? { templates: notifier.templates } : {}),
      ...(timeZone ? { timeZone } : {}),
      ...(notifier.failover ? { failover: notifier.failover } : {}),
      ...(notifier.rate ? { rate: notifier.rate } : {}),
    },
  };
}
