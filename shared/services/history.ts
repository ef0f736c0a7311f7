import type { DeliveryFilter, Page, PageRequest } from '../core/ports.js';
import type { Delivery, HeraldEvent, ShownDelivery } from '../core/types.js';
import { CHANNELS } from '../channels/index.js';
import { NotFoundError } from '../errors.js';
import type { ApiDeps } from './deps.js';
import { getApp } from './apps.js';

/** The event and delivery log of an app, newest first, recipients masked. */

export async function listEvents(deps: ApiDeps, appId: string, page: PageRequest): Promise<Page<HeraldEvent>> {
  await getApp(deps, appId);
  return deps.events.list(appId, page);
}

export async function getEvent(
  deps: ApiDeps,
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
  return { event, deliveries: deliveries.map(shown) };
}

export async function listDeliveries(
  deps: ApiDeps,
  appId: string,
  filter: DeliveryFilter,
  page: PageRequest,
): Promise<Page<ShownDelivery>> {
  await getApp(deps, appId);
  const result = await deps.deliveries.list(appId, filter, page);
  return { ...result, items: result.items.map(shown) };
}

/** A delivery as the API shows it: the recipient masked, internal fields left out. */
export function shown(d: Delivery): ShownDelivery {
  return {
    id: d.id,
    eventId: d.eventId,
    appId: d.appId,
    notifierId: d.notifierId,
    channel: d.channel,
    recipient: CHANNELS[d.channel].maskRecipient(d.recipient),
    // A claimed delivery mid-attempt shows the status it had before the claim.
    status: d.status === 'sending' ? (d.attempts?.length ? 'retrying' : 'queued') : d.status,
    ...(d.reason ? { reason: d.reason } : {}),
    createdAt: d.createdAt,
    attempts: d.attempts ?? [],
  };
}
