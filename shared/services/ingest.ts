import { createHash } from 'node:crypto';
import { toHeraldEvent } from '../core/event.js';
import { planDeliveries, type PlannedDelivery } from '../core/routing.js';
import { silencing } from '../core/silences.js';
import { isHealthy, stateOf } from '../core/state-change.js';
import { patternsOf } from './silence-patterns.js';
import type { Declined } from '../core/ports.js';
import type { App } from '../core/types.js';
import { reachIn } from './reach.js';
import type { RoutingView } from './routing-cache.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { deliveryIdFor, newId } from '../ids.js';
import type { EventInputBody } from '../schemas/event.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';
import { enqueueAll } from './queueing.js';
import type { IngestMetrics } from './ingest-metrics.js';
import { groupDeliveries } from './grouping.js';
import { holdForAcknowledged, incidentStep, noteTold, type IncidentStep } from './incidents.js';
import { planEscalations, type TimerToSet } from './escalation.js';
import { lateFailovers } from './failover.js';
import { applyNotifierPolicies, checkStateChange, rememberNotified, type StateCheck } from './notifier-policies.js';

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

export type IngestDeps = Pick<
  HeraldDeps,
  | 'routing'
  | 'events'
  | 'deliveries'
  | 'queue'
  | 'clock'
  | 'repeats'
  | 'states'
  | 'quota'
  | 'silences'
  | 'silenceCounts'
  | 'incidents'
  | 'links'
  | 'groups'
  | 'timers'
>;

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
 * request is still at work (its event not stored yet) is a conflict too (Retry-After: 2 s),
 * and one after that request failed (it lets go of the key: `letGo`) or died (30 s on)
 * resumes it with the same event id and delivery ids: what it queues again is sent once
 * (claims), and what it stores keeps what attempts wrote.
 */
export async function ingestEvent(
  deps: IngestDeps,
  appId: string,
  input: Omit<EventInputBody, 'app'>,
  idempotencyKey?: string,
  tally?: IngestMetrics,
): Promise<IngestResult> {
  const routed = await route(deps, appId, input, idempotencyKey, deps.clock());
  const [answer] = 'duplicate' in routed ? [routed] : await committed(deps, [routed], tally);
  await deps.silenceCounts.tell(deps.silences);
  tally?.accepted();
  return answer as IngestResult;
}

/** An event routed, its deliveries decided, not yet queued nor stored. */
export interface Routed {
  check: StateCheck;
  planned: PlannedDelivery[];
  toSend: PlannedDelivery[];
  resumed: boolean;
  now: Date;
  /** The open incident whose failure this is: who is told is noted on it. */
  tellIncident?: IncidentStep['tell'];
  /** Deliveries recorded `grouped`: their groups' notifications carry them; the groups, by notifier. */
  grouped?: PlannedDelivery[];
  groups?: Record<string, string>;
  /** Timers to set once the event is stored (an escalation's next step, a failover's next entry). */
  timers?: TimerToSet[];
  /** The idempotency key this request claimed, and when: let go if the request fails (`letGo`). */
  idempotency?: { key: string; claimedAt: string };
}

/** The app's quota, the idempotency key, the state change, the plan and what notifiers ask: all but queueing and storing. */
export async function route(
  deps: IngestDeps,
  appId: string,
  input: Omit<EventInputBody, 'app'>,
  idempotencyKey: string | undefined,
  now: Date,
  options: { idIsTheEvent?: boolean } = {},
): Promise<Routed | IngestResult> {
  const view = await deps.routing.view(appId);
  if (!view.app) throw new NotFoundError(`App ${appId}`);
  deps.quota.take(view.app, now);
  const key = idempotencyKey ?? input.id;
  // What a repeat of the key must match to be a duplicate (else a conflict): the body, or for an inbound tool's repeat (its text may have changed) nothing more.
  const claim =
    key === undefined
      ? { eventId: newId('evt'), resumed: false }
      : await claimKey(deps, appId, key, options.idIsTheEvent ? { id: key } : input, now);
  if ('duplicate' in claim) return claim;
  const idempotency = key === undefined ? undefined : { key, claimedAt: now.toISOString() };
  try {
    // The view itself, not a copy: reachIn keeps its contact book by the view's identity.
    const routed = await plan(deps, view, view.app, input, claim, now);
    return idempotency ? { ...routed, idempotency } : routed;
  } catch (err) {
    if (idempotency) await letGo(deps, appId, idempotency);
    throw err;
  }
}

/** The event of a claimed id, its state change and its deliveries as the app's notifiers and their policies decide. */
async function plan(
  deps: IngestDeps,
  view: RoutingView,
  app: App,
  input: Omit<EventInputBody, 'app'>,
  { eventId, resumed }: { eventId: string; resumed: boolean },
  now: Date,
): Promise<Routed> {
  const appId = app.id;
  const event = toHeraldEvent(input, { id: eventId, appId }, now);
  const reach = reachIn(view);
  // Silenced: whoever would have been told is recorded `suppressed`, nothing is sent, and the
  // check's state is left as it was (as Alertmanager, a silenced failure was told to nobody,
  // so its recovery is news to nobody; one still failing when the silence ends is told then).
  const silence = view.silences.length ? silencing(view.silences, event, now, await patternsOf(view.silences)) : undefined;
  if (silence) {
    const planned = planDeliveries({
      event,
      app,
      notifiers: view.notifiers,
      reach,
      deliveryId: deliveryIdFor(eventId),
      now: now.toISOString(),
    });
    for (const p of planned) Object.assign(p.delivery, { status: 'suppressed', reason: `silenced: ${silence.id}` });
    deps.silenceCounts.add(silence);
    // A check's failure is held, to be told when the silence ends if it is still failing; its recovery lets it go.
    const state = stateOf(event);
    if (state && planned.length)
      await deps.silences.holdFailure(silence.appId, silence.id, {
        stateKey: state.key,
        appId,
        ...(isHealthy(state.status) ? {} : { eventId }),
      });
    return { check: { unchanged: false, event }, planned, toSend: [], resumed, now };
  }
  const stateCheck = await checkStateChange(deps, event, now);
  const step = await incidentStep(deps, stateCheck, now);
  const alsoNotify = step.alsoNotify ? new Set([...(stateCheck.alsoNotify ?? []), ...step.alsoNotify]) : stateCheck.alsoNotify;
  const check = { ...stateCheck, event: step.event, ...(alsoNotify ? { alsoNotify } : {}) };
  const direct = check.unchanged
    ? []
    : planDeliveries({
        event: check.event,
        app,
        notifiers: view.notifiers,
        reach,
        deliveryId: deliveryIdFor(eventId),
        now: now.toISOString(),
        ...(check.alsoNotify ? { alsoNotify: check.alsoNotify } : {}),
      });
  // Escalation policies: step 1 now (beside the direct plan), the next step's timer when the event opens an incident.
  const escalations = check.unchanged
    ? { planned: [], timers: [] }
    : planEscalations({ ...view, app }, check.event, direct, check.incident, now);
  const planned = [...direct, ...escalations.planned];
  const timers = escalations.timers.length ? { timers: escalations.timers } : {};
  // Acknowledged: a further failure of the incident is told to nobody (after the policies, whose counts it still makes).
  const allowed = await applyNotifierPolicies(deps, planned, view, check.event, now);
  const tell = step.tell ? { tellIncident: step.tell } : {};
  if (step.heldBy) {
    holdForAcknowledged(planned, step.heldBy);
    return { check, planned, toSend: [], resumed, now };
  }
  // Grouping notifiers: the event joins their groups, whose notifications carry it later.
  const { toSend, grouped, groups } = await groupDeliveries(deps, allowed, view.notifiers, check, now);
  return { check, planned, toSend, resumed, now, ...tell, ...timers, ...(grouped.length ? { grouped, groups } : {}) };
}

/**
 * Queue the deliveries of routed events, all in the same calls (SendMessageBatch shares its
 * entries across events), then store each event with its deliveries, one write each: one a
 * queue refused for good is failed, one not queued for now is left to the sweeper.
 */
export async function commit(
  deps: Pick<IngestDeps, 'queue' | 'events' | 'deliveries' | 'states'> & Partial<Pick<IngestDeps, 'incidents' | 'timers'>>,
  events: Routed[],
  tally?: IngestMetrics,
): Promise<IngestResult[]> {
  const { failed, later } = await enqueueAll(
    deps,
    events.flatMap((r) => r.toSend.map((p) => p.message)),
  );
  const refused = new Map(failed.map((n) => [n.deliveryId, n.reason]));
  const notQueued = new Set(later.map((n) => n.deliveryId));
  return Promise.all(
    events.map(async ({ check, planned, toSend, resumed, now, tellIncident, grouped = [], groups, timers = [] }) => {
      const event = check.event;
      for (const { delivery } of planned) {
        const reason = refused.get(delivery.id);
        if (reason) Object.assign(delivery, { status: 'failed', reason: `not queued: ${reason}` });
      }
      const sending = new Set(toSend.map((p) => p.delivery.id));
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
      // Told: what was queued, and what a group's notification will carry.
      const told = [...toSend.filter((p) => !refused.has(p.delivery.id)), ...grouped];
      // Set once the event is stored: their handlers read it. Late failovers: for what was queued.
      const toSet = [
        ...timers,
        ...lateFailovers(
          toSend.filter((p) => !refused.has(p.delivery.id)).map((p) => p.message),
          now,
        ),
      ];
      await Promise.all([
        rememberNotified(deps, check, [...toSend, ...grouped], groups),
        tellIncident && deps.incidents ? noteTold({ incidents: deps.incidents }, event.appId, tellIncident, told) : undefined,
        toSet.length && deps.timers ? deps.timers.set(toSet) : undefined,
      ]);
      tally?.planned(planned.map((p) => p.delivery));
      logger.debug('event accepted', {
        appId: event.appId,
        eventId: event.id,
        eventType: event.type,
        deliveries: planned.length,
        queued: toSend.filter((p) => !refused.has(p.delivery.id) && !notQueued.has(p.delivery.id)).length,
        unchangedState: check.unchanged,
        resumed,
      });
      return { eventId: event.id, deliveries: planned.length, duplicate: false, unchanged: check.unchanged, declined: declinedBy(planned) };
    }),
  );
}

/** One entry per notifier that held the event back: the reason of its first suppressed delivery. */
function declinedBy(planned: PlannedDelivery[]): Declined[] {
  const declined = new Map<string, string>();
  for (const { delivery } of planned) {
    if (delivery.status === 'suppressed' && !declined.has(delivery.notifierId)) declined.set(delivery.notifierId, delivery.reason ?? '');
  }
  return [...declined].map(([notifierId, reason]) => ({ notifierId, reason }));
}

/** `commit`, the idempotency keys of the events let go when it fails (`letGo`). */
export async function committed(deps: IngestDeps, events: Routed[], tally?: IngestMetrics): Promise<IngestResult[]> {
  try {
    return await commit(deps, events, tally);
  } catch (err) {
    await Promise.all(events.map((r) => (r.idempotency ? letGo(deps, r.check.event.appId, r.idempotency) : undefined)));
    throw err;
  }
}

/** A claimed key's time set back to 1970: a request that failed lets its retry resume the event at once (same event id), not 30 s later. */
const LET_GO_AT = new Date(0).toISOString();

/**
 * Lets go of an idempotency key this request claimed and could not finish with (a throttled
 * write, a queue that did not answer): its retry takes it over at once and resumes the event
 * with the same event and delivery ids, as it would 30 s later. Best effort: if this write
 * fails too, the retry waits out the 30 s.
 */
async function letGo(
  deps: Pick<IngestDeps, 'events'>,
  appId: string,
  { key, claimedAt }: { key: string; claimedAt: string },
): Promise<void> {
  await deps.events.takeOverIdempotencyKey(appId, key, claimedAt, LET_GO_AT).catch(() => false);
}

/** How long a repeat that finds its key's request still at work is asked to wait (Retry-After) before trying again. */
const IN_PROGRESS_RETRY_AFTER_SECONDS = 2;

/** Claims an idempotency key: a fresh event id, the id of a request to resume, or the first answer. */
async function claimKey(
  deps: IngestDeps,
  appId: string,
  key: string,
  /** What two requests with the key must agree on. */
  sameAs: unknown,
  now: Date,
): Promise<{ eventId: string; resumed: boolean } | IngestResult> {
  const eventId = newId('evt');
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const requestHash = hashOf(sameAs);
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
    throw new ConflictError(
      'A request with this idempotency key is still being processed; retry in a few seconds',
      IN_PROGRESS_RETRY_AFTER_SECONDS,
    );
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
