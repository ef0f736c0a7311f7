import type { NotQueued, RecordedOutcome } from '../core/ports.js';
import { toMessage, type RoutingInput } from '../core/routing.js';
import { INSTALLATION, type Delivery, type DeliveryMessage, type HeraldEvent, type Notifier } from '../core/types.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';
import { contactBook } from './reach.js';
import { notifierReach, type Reach } from '../core/contacts.js';
import { entryNotifiers } from '../core/escalation.js';

/** What became of deliveries sent to their queues. */
export interface Queued {
  queued: number;
  /** Refused for good (SQS's size limit, a character it will not take). */
  failed: NotQueued[];
  /** Not queued for now (throttled, unreachable). */
  later: NotQueued[];
}

/** Put deliveries on their queues; nothing else. The caller decides what becomes of those not queued. */
export async function enqueueAll(deps: Pick<HeraldDeps, 'queue'>, messages: DeliveryMessage[]): Promise<Queued> {
  const notQueued = messages.length ? await deps.queue.enqueue(messages) : [];
  return {
    queued: messages.length - notQueued.length,
    failed: notQueued.filter((n) => n.permanent),
    later: notQueued.filter((n) => !n.permanent),
  };
}

/**
 * Put stored deliveries (a sweep's, a redrive's, a resend's) on their queues. One a queue
 * refuses for good is recorded `failed` with the reason, so that it never waits forever;
 * one not queued for now is left to the sweeper, a grace period on.
 */
export async function queueStored(
  deps: Pick<HeraldDeps, 'queue' | 'deliveries'>,
  messages: DeliveryMessage[],
  now: Date,
  graceSeconds: number,
): Promise<Queued> {
  const result = await enqueueAll(deps, messages);
  const byId = new Map(messages.map((m) => [m.delivery.id, m.delivery]));
  const at = new Date(now.getTime() + graceSeconds * 1000);
  await Promise.all([
    recordOutcomes(
      deps,
      result.failed.flatMap(({ deliveryId, reason }) => {
        const delivery = byId.get(deliveryId);
        if (!delivery) return [];
        logger.warn('delivery ended', { ...fieldsOf(delivery), outcome: 'failed', reason });
        return [{ delivery, outcome: { status: 'failed' as const, reason: `not queued: ${reason}` } }];
      }),
    ),
    ...result.later.flatMap(({ deliveryId }) => {
      const delivery = byId.get(deliveryId);
      return delivery ? [deps.deliveries.markUnqueued(delivery, at)] : [];
    }),
  ]);
  return result;
}

/** Outcomes of deliveries of any events: one write per event. */
export async function recordOutcomes(deps: Pick<HeraldDeps, 'deliveries'>, outcomes: RecordedOutcome[]): Promise<void> {
  const byEvent = new Map<string, RecordedOutcome[]>();
  for (const o of outcomes) byEvent.set(o.delivery.eventId, [...(byEvent.get(o.delivery.eventId) ?? []), o]);
  await Promise.all([...byEvent.values()].map((group) => deps.deliveries.record(group)));
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
 * is recorded `failed` instead, and returned as ended.
 */
export async function rebuildMessages(
  deps: Pick<HeraldDeps, 'events' | 'apps' | 'notifiers' | 'deliveries' | 'contacts'>,
  deliveries: Delivery[],
): Promise<{ messages: DeliveryMessage[]; ended: Delivery[] }> {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, load());
    return cache.get(key) as Promise<T>;
  };
  const messages: DeliveryMessage[] = [];
  const ended: RecordedOutcome[] = [];
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
    // A contact's delivery: its channel's target, language and time zone as they are now.
    const naming = notifier && namingOf(notifier, delivery);
    const reach = naming ? await once(`r/${naming.key}`, () => contactReachOf(deps, naming.notifier)) : undefined;
    const way = reach?.find((r) => r.channel === delivery.channel && r.recipient === delivery.recipient);
    if (event && app && notifier && (!reach || way)) {
      messages.push(toMessage(delivery, event, app, notifier, way));
      continue;
    }
    const reason = !notifier ? 'the notifier was deleted' : reach && !way ? 'the contact was removed' : 'the app or the event was deleted';
    ended.push({ delivery, outcome: { status: 'failed', reason } });
  }
  await recordOutcomes(deps, ended);
  return { messages, ended: ended.map((e) => e.delivery as Delivery) };
}

/**
 * The notifier whose contacts and groups a delivery reaches, if it reaches some: its own
 * notifier's, or those of the policy's step or the failover entry that made it (a step's or
 * a failover's contacts are delivered as the policy's or the failing notifier's: core/escalation.ts
 * entryNotifiers). Undefined for a delivery to a channel's target.
 */
function namingOf(notifier: Notifier, delivery: Delivery): { notifier: Notifier; key: string } | undefined {
  const { escalation: step, failoverBy } = delivery;
  const entries =
    step && notifier.escalation
      ? notifier.escalation.steps[step.step - 1]?.notify
      : failoverBy?.notifierId === notifier.id
        ? notifier.failover?.to.slice(failoverBy.entry - 1, failoverBy.entry)
        : undefined;
  if (!entries) return notifier.channel ? undefined : { notifier, key: notifier.id };
  const named = entryNotifiers([], entries, notifier).find((n) => n.id === notifier.id);
  const key = step ? `${notifier.id}/step ${step.step}` : `${notifier.id}/failover ${failoverBy?.entry}`;
  // Nobody named (a step changed since): reaches nobody, so the delivery ends.
  return { notifier: named ?? { ...notifier, channel: undefined, target: undefined, contacts: [], groups: [] }, key };
}

/** Whom a notifier that names contacts reaches now: its app's contacts and groups, and the installation-wide ones. */
async function contactReachOf(deps: Pick<HeraldDeps, 'contacts'>, notifier: Notifier): Promise<Reach[]> {
  const scopes = [...new Set([notifier.appId, INSTALLATION.id])];
  const [contacts, groups] = await Promise.all([
    Promise.all(scopes.map((s) => deps.contacts.list(s))),
    Promise.all(scopes.map((s) => deps.contacts.listGroups(s))),
  ]);
  return notifierReach(notifier, contactBook({ contacts: contacts.flat(), contactGroups: groups.flat() }));
}
