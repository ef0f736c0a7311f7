import { quietDecision } from '../core/quiet-hours.js';
import { asBadBehavior, fingerprintOf, occurrenceDecision, throttleDecision, throttleFor, type RepeatDecision } from '../core/repeats.js';
import type { PlannedDelivery } from '../core/routing.js';
import { selectionOf } from '../core/selection.js';
import { isHealthy, stateOf, withPrevious, type StateOf } from '../core/state-change.js';
import { DEFAULT_LIMITS, familyOf, type HeraldEvent, type Notifier } from '../core/types.js';
import { newId } from '../ids.js';
import type { HeraldDeps } from './deps.js';
import type { RoutingView } from './routing-cache.js';

/**
 * What notifiers ask of the events they get, beyond selection: state changes only,
 * throttled repeats, chosen occurrences, quiet hours. The decisions are pure (shared/core);
 * this is where their counts and states are read and written.
 */

export type PolicyDeps = Pick<HeraldDeps, 'repeats' | 'states'>;

export interface StateCheck {
  /** The event reports a status that did not change: nobody is told. */
  unchanged: boolean;
  /** The event, saying the previous status and how long it lasted. */
  event: HeraldEvent;
  state?: StateOf;
  /** A recovery goes to the notifiers told of the failure. */
  alsoNotify?: ReadonlySet<string>;
  /** The groups the failure joined, by notifier: its further failures and its recovery join the same. */
  groups?: Record<string, string>;
  /** Who was told of the failure so far (a further failure adds to them). */
  notifiedBefore?: string[];
  /** The check's incident: opened by this failure, failing on (another failing status), or recovered. */
  incident?: { id: string; change: 'opened' | 'failing' | 'recovered' };
}

/** Before routing: an event that reports a status notifies only when the status changes (a first report, only when it is not healthy). */
export async function checkStateChange(deps: PolicyDeps, event: HeraldEvent, now: Date): Promise<StateCheck> {
  const state = stateOf(event);
  if (!state) return { unchanged: false, event };
  const healthy = isHealthy(state.status);
  // A failure keeps the incident its check has, else opens this one; a recovery ends it.
  const fresh = healthy ? null : newId('icd');
  const { changed, previous } = await deps.states.change(event.appId, state.key, state.status, now, fresh);
  if (!changed) return { unchanged: true, event, state };
  if (!previous)
    return healthy
      ? { unchanged: true, event, state }
      : { unchanged: false, event, state, incident: { id: fresh as string, change: 'opened' } };
  const incident: StateCheck['incident'] = healthy
    ? previous.incident
      ? { id: previous.incident, change: 'recovered' }
      : undefined
    : previous.incident
      ? { id: previous.incident, change: 'failing' }
      : { id: fresh as string, change: 'opened' };
  return {
    unchanged: false,
    event: withPrevious(event, previous, now),
    state,
    ...(healthy && previous.notified?.length ? { alsoNotify: new Set(previous.notified) } : {}),
    ...(!healthy && previous.notified?.length ? { notifiedBefore: previous.notified } : {}),
    ...(previous.groups ? { groups: previous.groups } : {}),
    ...(incident ? { incident } : {}),
  };
}

/** After the deliveries are sent (or grouped): who was told of a failure hears of its recovery, in the same groups. */
export async function rememberNotified(
  deps: Pick<PolicyDeps, 'states'>,
  check: StateCheck,
  sent: PlannedDelivery[],
  groups?: Record<string, string>,
): Promise<void> {
  if (!check.state || isHealthy(check.state.status) || sent.length === 0) return;
  const all = { ...check.groups, ...groups };
  const notified = [...new Set([...(check.notifiedBefore ?? []), ...sent.map((p) => p.delivery.notifierId)])];
  await deps.states.noteNotified(check.event.appId, check.state.key, notified, Object.keys(all).length ? all : undefined);
}

/**
 * Quiet hours, throttles and occurrence counts, per notifier, in that order (README, "How the
 * rules combine"): deliveries they hold back are `suppressed` with the reason, or held until
 * the quiet hours end. Quiet hours that suppress come first, so that what a notifier was not
 * to be told counts as no repeat; held ones are counted (sent when the quiet hours end, they
 * are throttled as if sent now). Returns those to queue now.
 */
export async function applyNotifierPolicies(
  deps: PolicyDeps,
  planned: PlannedDelivery[],
  view: RoutingView,
  event: HeraldEvent,
  now: Date,
): Promise<PlannedDelivery[]> {
  const limits = { ...DEFAULT_LIMITS, ...view.app?.limits };
  const capped = planned.slice(limits.deliveriesPerEvent);
  for (const p of capped) hold(p, 'suppressed', `over the cap of ${limits.deliveriesPerEvent} deliveries per event`);
  const notifiers = new Map(view.notifiers.map((n) => [n.id, n]));

  const awake: { p: PlannedDelivery; until?: Date; reason?: string }[] = [];
  for (const p of planned.slice(0, limits.deliveriesPerEvent)) {
    const notifier = notifiers.get(p.delivery.notifierId);
    // A contact's own quiet hours hold only its deliveries.
    const quiet = quietDecision(p.quietHours ?? notifier?.quietHours ?? view.app?.quietHours, event.severity === 'critical', now);
    if (quiet?.status === 'suppressed') hold(p, 'suppressed', quiet.reason);
    else awake.push({ p, ...(quiet ? { until: quiet.until, reason: quiet.reason } : {}) });
  }

  // One decision per notifier, all counted at once (one conditional write each, in parallel).
  const involved = [...new Set(awake.map(({ p }) => p.delivery.notifierId))].flatMap((id) => notifiers.get(id) ?? []);
  const decisions = new Map(await Promise.all(involved.map(async (n) => [n.id, await repeatDecision(deps, n, event, now)] as const)));

  const toSend: PlannedDelivery[] = [];
  const sms: PlannedDelivery[] = [];
  for (const { p, until, reason } of awake) {
    const repeat = decisions.get(p.delivery.notifierId) ?? { send: true as const };
    if (!repeat.send) {
      hold(p, 'suppressed', repeat.reason);
      continue;
    }
    if (repeat.badBehavior) p.message.event = asBadBehavior(event, repeat.badBehavior);
    if (until) {
      hold(p, 'queued', reason as string);
      p.delivery.nextAttemptAt = until.toISOString();
    }
    // Every channel of the sms family costs money per message: the daily cap counts them all.
    else (familyOf(p.delivery.channel) === 'sms' ? sms : toSend).push(p);
  }
  const allowed = await Promise.all(sms.map(() => smsAllowed(deps, event.appId, limits.smsPerDay, now)));
  sms.forEach((p, i) => {
    if (allowed[i]) toSend.push(p);
    else hold(p, 'suppressed', `the app's daily SMS cap of ${limits.smsPerDay} is reached`);
  });
  return toSend;
}

/** SMS cost money: an app sends at most `perDay` a day (counted per UTC day). */
async function smsAllowed(deps: PolicyDeps, appId: string, perDay: number, now: Date): Promise<boolean> {
  const day = now.toISOString().slice(0, 10);
  return (await deps.repeats.count(`SMS#${appId}`, day, 86_400, now, perDay)) <= perDay;
}

function hold(p: PlannedDelivery, status: 'suppressed' | 'queued', reason: string): void {
  p.delivery.status = status;
  p.delivery.reason = reason;
}

/** Counts only what applies (a conditional write each): the throttle of warning and critical events by default, occurrences when asked. */
async function repeatDecision(deps: PolicyDeps, notifier: Notifier, event: HeraldEvent, now: Date): Promise<RepeatDecision> {
  // It named app_crashed_repeated: every crash, as Scalingo sends it.
  if (selectionOf(notifier, event) === 'every-crash') return { send: true };
  const throttle = throttleFor(notifier, event);
  if (throttle) {
    const count = await deps.repeats.count(`THR#${notifier.id}`, fingerprintOf(event), throttle.windowSeconds, now, throttle.limit + 1);
    const decision = throttleDecision(count, throttle);
    if (!decision.send || decision.badBehavior) return decision;
  }
  if (notifier.occurrences) {
    const count = await deps.repeats.count(
      `OCC#${notifier.id}`,
      event.type,
      notifier.occurrences.windowSeconds,
      now,
      Math.max(...notifier.occurrences.on),
    );
    return occurrenceDecision(count, notifier.occurrences);
  }
  return { send: true };
}
