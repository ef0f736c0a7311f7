import { createHash } from 'node:crypto';
import { toHeraldEvent } from '../core/event.js';
import { planDeliveries, type PlannedDelivery } from '../core/routing.js';
import type { Notifier } from '../core/types.js';
import type { Declined } from '../core/ports.js';
import { CHANNELS } from '../channels/index.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { deliveryIdFor, newId } from '../ids.js';
import type { EventInputBody } from '../schemas/event.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';
import { enqueueAll } from './queueing.js';
import { applyNotifierPolicies, checkStateChange, rememberNotified } from './notifier-policies.js';

const IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600;

export interface IngestResult {
  eventId: string;
  deliveries: number;
  duplicate: boolean;
  /** The event reports a status that did not change: nobody was told. */
  unchanged: boolean;
  /** The notifiers that chose not to send it, and why (throttled, quiet hours, occurrences, caps). */
  declined: Declined[];
}

export type IngestDeps = Pick<HeraldDeps, 'routing' | 'events' | 'deliveries' | 'queue' | 'clock' | 'repeats' | 'states' | 'quota'>;

const recipientsOf = (notifier: Notifier): string[] => CHANNELS[notifier.channel].recipients(notifier.target as never);

/** How long a claimed idempotency key may stay pending before another request takes it over. */
const TAKEOVER_AFTER_MS = 30_000;

/**
 * Accept one event for an app: route it to the matching notifiers' recipients, queue one
 * message per event and family (the queue adapter groups them), then store the event and
 * every delivery in one write: queued ones are on a queue (their attempts keep the record
 * up to date), the rest are there with why (suppressed, held until a time, refused by a
 * queue). A delivery no queue took now, or held until later, is left to the sweeper.
 *
 * With an idempotency key (the header, or the event's `id`), the key is claimed first. A
 * repeat gets the first answer (from the event's record) with `duplicate: true` and
 * delivers nothing; the same key with another body is a conflict; a repeat while the first
 * request is still at work (its event not stored yet) is a conflict too, and one after that
 * request died (30 s) resumes it with the same event id and delivery ids: what it queues
 * again is sent once (claims), and what it stores keeps what attempts wrote.
 */
export async function ingestEvent(
  deps: IngestDeps,
  appId: string,
  input: Omit<EventInputBody, 'app'>,
  idempotencyKey?: string,
): Promise<IngestResult> {
  const view = await deps.routing.view(appId);
  if (!view.app) throw new NotFoundError(`App ${appId}`);
  const now = deps.clock();
  deps.quota.take(view.app, now);
  const key = idempotencyKey ?? input.id;
  const claim = key === undefined ? { eventId: newId('evt'), resumed: false } : await claimKey(deps, appId, key, input, now);
  if ('duplicate' in claim) return claim;
  const { eventId, resumed } = claim;

  const received = toHeraldEvent(input, { id: eventId, appId }, now);

  const check = await checkStateChange(deps, received, now);
  const event = check.event;
  const planned = check.unchanged
    ? []
    : planDeliveries({
        event,
        app: view.app,
        notifiers: view.notifiers,
        recipientsOf,
        deliveryId: deliveryIdFor(eventId),
        now: now.toISOString(),
        ...(check.alsoNotify ? { alsoNotify: check.alsoNotify } : {}),
      });
  const toSend = await applyNotifierPolicies(deps, planned, view, event, now);

  const { failed, later } = await enqueueAll(
    deps,
    toSend.map((p) => p.message),
  );
  const byId = new Map(planned.map((p) => [p.delivery.id, p.delivery]));
  for (const { deliveryId, reason } of failed)
    Object.assign(byId.get(deliveryId) ?? {}, { status: 'failed', reason: `not queued: ${reason}` });
  const sending = new Set(toSend.map((p) => p.delivery.id));
  const notQueued = new Set(later.map((n) => n.deliveryId));
  // Held until a time (quiet hours), or not queued for now: the sweeper queues them.
  const unqueued = planned.map((p) => p.delivery).filter((d) => d.status === 'queued' && (!sending.has(d.id) || notQueued.has(d.id)));
  await Promise.all([
    deps.events.save(
      event,
      planned.map((p) => p.delivery),
      { unchanged: check.unchanged },
    ),
    ...unqueued.map((d) => deps.deliveries.markUnqueued(d, !notQueued.has(d.id) && d.nextAttemptAt ? new Date(d.nextAttemptAt) : now)),
  ]);
  await rememberNotified(deps, check, toSend);
  logger.debug('event accepted', {
    appId,
    eventId,
    eventType: event.type,
    deliveries: planned.length,
    queued: toSend.length - later.length - failed.length,
    notQueued: later.length,
    refusedByQueue: failed.length,
    unchangedState: check.unchanged,
    resumed,
  });
  return { eventId, deliveries: planned.length, duplicate: false, unchanged: check.unchanged, declined: declinedBy(planned) };
}

/** One entry per notifier that held the event back: the reason of its first suppressed delivery. */
function declinedBy(planned: PlannedDelivery[]): Declined[] {
  const declined = new Map<string, string>();
  for (const { delivery } of planned) {
    if (delivery.status === 'suppressed' && !declined.has(delivery.notifierId)) declined.set(delivery.notifierId, delivery.reason ?? '');
  }
  return [...declined].map(([notifierId, reason]) => ({ notifierId, reason }));
}

/** Claims an idempotency key: a fresh event id, the id of a request to resume, or the first answer. */
async function claimKey(
  deps: IngestDeps,
  appId: string,
  key: string,
  input: Omit<EventInputBody, 'app'>,
  now: Date,
): Promise<{ eventId: string; resumed: boolean } | IngestResult> {
  const eventId = newId('evt');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const requestHash = hashOf(input);
  const first = await deps.events.claimIdempotencyKey(
    appId,
    key,
    { requestHash, eventId, expiresAt: nowSeconds + IDEMPOTENCY_WINDOW_SECONDS, claimedAt: now.toISOString() },
    nowSeconds,
  );
  if (!first) return { eventId, resumed: false };
  if (first.requestHash !== requestHash) throw new ConflictError('This idempotency key was used with a different event');
  const answer = await deps.events.answerOf(appId, first.eventId);
  if (answer) return { eventId: first.eventId, ...answer, duplicate: true };
  const stale = Date.parse(first.claimedAt) < now.getTime() - TAKEOVER_AFTER_MS;
  if (!stale || !(await deps.events.takeOverIdempotencyKey(appId, key, first.claimedAt, now.toISOString()))) {
    throw new ConflictError('A request with this idempotency key is still being processed; retry in a few seconds');
  }
  return { eventId: first.eventId, resumed: true };
}

/** The same event posted twice hashes the same, whatever the order of its keys. */
function hashOf(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
