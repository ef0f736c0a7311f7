import { entryNotifiers, nextStep, stepDueAt, type EscalationPolicy } from '../core/escalation.js';
import type { Incident } from '../core/incidents.js';
import type { EscalationTimer, Timer } from '../core/ports.js';
import { planDeliveries, type PlannedDelivery, type RoutingInput } from '../core/routing.js';
import { wantsEvent } from '../core/selection.js';
import type { Delivery, HeraldEvent, Notifier } from '../core/types.js';
import { deliveryIdFor, timeOfId } from '../ids.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';
import { commit } from './ingest.js';
import { reachIn } from './reach.js';
import type { RoutingView } from './routing-cache.js';

/**
 * Escalation policies (core/escalation.ts) at work: step 1 with the event that opens an
 * incident, each later step on a timer that finds the incident still open, and what an
 * acknowledgement or a recovery cancels. A step's deliveries are deliveries of the opening
 * event (its delivery log shows step 1, step 2...), with ids made from the step: a timer that
 * fires twice sends once.
 */

/** A timer to set once the event is stored (its handler reads it). */
export type TimerToSet = { timer: Timer; at: Date };

/** The deliveries of one step of a policy: its entries' notifiers' recipients, marked with the step. */
export function stepDeliveries(
  event: HeraldEvent,
  app: RoutingInput['app'],
  view: Pick<RoutingView, 'notifiers' | 'contacts' | 'contactGroups'>,
  policy: Notifier & { escalation: EscalationPolicy },
  at: { step: number; round: number },
  now: Date,
): PlannedDelivery[] {
  const entries = policy.escalation.steps[at.step - 1]?.notify ?? [];
  const targets = entryNotifiers(view.notifiers, entries, policy);
  const mark = { notifierId: policy.id, ...at };
  const planned = planDeliveries({
    event,
    app,
    notifiers: targets,
    reach: reachIn(view),
    alsoNotify: new Set(targets.map((n) => n.id)),
    deliveryId: deliveryIdFor(event.id, `escalation\n${policy.id}\n${at.step}\n${at.round}`),
    now: now.toISOString(),
  });
  for (const p of planned) p.delivery.escalation = p.message.delivery.escalation = mark;
  return planned;
}

const escalating = (n: Notifier): n is Notifier & { escalation: EscalationPolicy } => !!n.escalation;

/**
 * At ingest: the policies that want the event. Its step 1 goes now, to whom the direct plan
 * does not reach already, unless the event opens an incident and step 1 waits; an event that
 * opens one sets the timer of the next step. Events that open none (no check, or a further
 * failure) go to step 1 only, through the same policies as any delivery (throttle, quiet hours).
 * A recovery goes to whoever was told of the incident (its `told`), not to step 1 again.
 */
export function planEscalations(
  view: Pick<RoutingView, 'notifiers' | 'contacts' | 'contactGroups'> & { app: RoutingInput['app'] },
  event: HeraldEvent,
  direct: readonly PlannedDelivery[],
  incident: { id: string; change: 'opened' | 'failing' | 'recovered' } | undefined,
  now: Date,
): { planned: PlannedDelivery[]; timers: TimerToSet[] } {
  const reached = new Set(direct.map((p) => `${p.delivery.channel} ${p.delivery.recipient}`));
  const planned: PlannedDelivery[] = [];
  const timers: TimerToSet[] = [];
  if (incident?.change === 'recovered') return { planned, timers };
  const opened = incident?.change === 'opened' ? incident : undefined;
  for (const policy of view.notifiers.filter(escalating)) {
    if (!wantsEvent(policy, event)) continue;
    // Step 1 waits (its afterSeconds from the opening): its timer tells it, and a further failure before then tells nobody yet.
    const since = incident?.change === 'opened' ? now : incident && openedAt(incident.id);
    const waits = !!since && stepDueAt(policy.escalation, since, 1, 1) > now;
    if (!waits)
      for (const p of stepDeliveries(event, view.app, view, policy, { step: 1, round: 1 }, now)) {
        const key = `${p.delivery.channel} ${p.delivery.recipient}`;
        if (reached.has(key)) continue;
        reached.add(key);
        planned.push(p);
      }
    const next = !opened ? undefined : waits ? { step: 1, round: 1 } : nextStep(policy.escalation, 1, 1);
    if (opened && next) timers.push(stepTimer(event.appId, opened.id, policy, next, now));
  }
  return { planned, timers };
}

/** When an incident opened: its id is a ULID made then. */
const openedAt = (incidentId: string): Date => new Date(timeOfId(incidentId));

const stepTimer = (
  appId: string,
  incidentId: string,
  policy: Notifier & { escalation: EscalationPolicy },
  at: { step: number; round: number },
  openedAt: Date,
): TimerToSet => ({
  timer: { kind: 'escalation', appId, incidentId, notifierId: policy.id, ...at },
  at: stepDueAt(policy.escalation, openedAt, at.step, at.round),
});

export type EscalateDeps = Pick<HeraldDeps, 'incidents' | 'routing' | 'events' | 'queue' | 'deliveries' | 'states' | 'timers'>;

/**
 * A step's timer: if its incident is still open, the step's entries get the opening event
 * (and are told of the incident, so its acknowledgement and recovery reach them), and the
 * next step's timer is set. An acknowledged or resolved incident ends the policy: nothing.
 */
export async function escalate(deps: EscalateDeps, timer: EscalationTimer, now: Date): Promise<void> {
  const fields = { appId: timer.appId, incidentId: timer.incidentId, notifierId: timer.notifierId, step: timer.step, round: timer.round };
  const incident = await deps.incidents.get(timer.appId, timer.incidentId);
  if (incident?.status !== 'open') {
    logger.info(`escalation step not sent: the incident is ${incident?.status ?? 'gone'}`, fields);
    return;
  }
  const view = await deps.routing.view(timer.appId);
  const policy = view.notifiers.find((n) => n.id === timer.notifierId);
  if (!view.app || !policy?.enabled || !escalating(policy)) {
    logger.info('escalation step not sent: its notifier is gone, disabled or escalates no more', fields);
    return;
  }
  const event = await deps.events.get(timer.appId, incident.eventId);
  // Not stored yet (the ingest that opened it is still at work): the timer comes back.
  if (!event) throw new Error(`Herald: the event ${incident.eventId} that opened ${incident.id} is not stored yet`);
  const planned = stepDeliveries(event, view.app, view, policy, timer, now);
  const next = nextStep(policy.escalation, timer.step, timer.round);
  await commit(deps, [
    {
      check: { unchanged: false, event },
      planned,
      toSend: planned,
      resumed: false,
      now,
      tellIncident: { id: incident.id, told: incident.told },
      ...(next ? { timers: [stepTimer(timer.appId, incident.id, policy, next, new Date(incident.since))] } : {}),
    },
  ]);
  // Acknowledged while this step was being sent: what it queued is cancelled as the acknowledgement cancels.
  const after = await deps.incidents.get(timer.appId, timer.incidentId);
  if (after && after.status !== 'open') await cancelPendingSteps(deps, after);
}

/**
 * An acknowledgement or a resolution (by hand, or the check's recovery) cancels the steps
 * of its incident not sent yet: each is recorded `suppressed`, so that its claim finds it
 * done and it never goes (the channel functions read no incident: no permission of theirs
 * grows). A step's timer still to come finds the incident not open and sends nothing.
 */
export async function cancelPendingSteps(deps: Pick<HeraldDeps, 'deliveries'>, incident: Incident): Promise<void> {
  const pending: Delivery[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.deliveries.list(
      incident.appId,
      { eventId: incident.eventId, statuses: ['queued', 'retrying'] },
      { limit: 100, ...(cursor ? { cursor } : {}) },
    );
    // A step's deliveries, and the failovers of any delivery of the failure: no one need be reached about it now.
    pending.push(...page.items.filter((d) => (d.escalation || d.failoverOf) && d.status !== 'sending'));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  if (!pending.length) return;
  const reason = `${incident.status}: ${incident.id}${incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : incident.resolvedBy ? ` by ${incident.resolvedBy}` : ''}`;
  await deps.deliveries.record(pending.map((delivery) => ({ delivery, outcome: { status: 'suppressed', reason } })));
  logger.info('escalation steps cancelled', { appId: incident.appId, incidentId: incident.id, deliveries: pending.length, reason });
}
