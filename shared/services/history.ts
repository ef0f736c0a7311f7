import type { Page, PageRequest } from '../core/ports.js';
import { shownStatus, type Delivery, type HeraldEvent, type ShownDelivery } from '../core/types.js';
import { ADDRESSING } from '../channels/addressing.js';
import { NotFoundError } from '../errors.js';
import type { HttpApiDeps } from './deps.js';
import { getApp } from './apps.js';

/** The event and delivery log of an app, newest first, recipients masked. */

export async function listEvents(deps: HttpApiDeps, appId: string, page: PageRequest): Promise<Page<HeraldEvent>> {
  await getApp(deps, appId);
  return deps.events.list(appId, page);
}

export async function getEvent(
  deps: HttpApiDeps,
  appId: string,
  eventId: string,
): Promise<{ event: HeraldEvent; deliveries: ShownDelivery[] }> {
  await getApp(deps, appId);
  const event = await deps.events.get(appId, eventId);
  if (!event) throw new NotFoundError(`Event ${eventId}`);
  const deliveries: Delivery[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.deliveries.list(appId, { eventId }, { limit: 100, ...(cursor ? { cursor } : {}) });
    deliveries.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { event, deliveries: deliveries.map((d) => shown({ eventType: event.type, ...d })) };
}

/** A delivery as the API shows it: the recipient masked, internal fields left out, its last attempt at hand. */
export function shown(d: Delivery): ShownDelivery {
  const attempts = d.attempts ?? [];
  const last = attempts.at(-1);
  return {
    id: d.id,
    eventId: d.eventId,
    ...(d.eventType ? { eventType: d.eventType } : {}),
    appId: d.appId,
    notifierId: d.notifierId,
    channel: d.channel,
    recipient: ADDRESSING[d.channel].maskRecipient(d.recipient),
    status: shownStatus(d.status, attempts),
    ...(d.reason ? { reason: d.reason } : {}),
    createdAt: d.createdAt,
    attemptCount: d.attemptCount ?? attempts.length,
    ...(last ? { lastAttempt: last } : {}),
    ...(d.nextAttemptAt && (d.status === 'retrying' || d.status === 'queued') ? { nextAttemptAt: d.nextAttemptAt } : {}),
    attempts,
    ...(d.escalation ? { escalation: d.escalation } : {}),
    ...(d.failoverOf ? { failoverOf: d.failoverOf, ...(d.failoverBy ? { failoverBy: d.failoverBy } : {}) } : {}),
    ...(d.failedOverTo ? { failedOverTo: d.failedOverTo } : {}),
  };
}
