import { ADDRESSING } from '../channels/addressing.js';
import { reachIn } from './reach.js';
import {
  ackToken,
  acknowledgedReason,
  announcementOf,
  checkAckToken,
  checkNameOf,
  linkKeyOf,
  type AckTokenCheck,
  type Incident,
  type IncidentStatus,
  type Told,
} from '../core/incidents.js';
import type { Page } from '../core/ports.js';
import { planDeliveries, type PlannedDelivery } from '../core/routing.js';
import type { HeraldEvent, Notifier } from '../core/types.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { deliveryIdFor } from '../ids.js';
import { carrierEventId } from '../core/grouping.js';
import { getApp } from './apps.js';
import { byOf, type Principal } from './auth.js';
import type { HeraldDeps } from './deps.js';
import { cancelPendingSteps } from './escalation.js';
import { commit } from './ingest.js';
import type { StateCheck } from './notifier-policies.js';

/**
 * Incidents (core/incidents.ts): the ingest step that opens, follows and resolves them with
 * their checks' states, the API's list, acknowledgement and resolution, and the one-click
 * link. An acknowledgement or a resolution by hand is announced to the notifiers that were
 * told of the incident, as an event of its own (`incident.acknowledged`, `incident.resolved`).
 */

/**
 * The one-click acknowledge links: signed with a key derived from the admin key (a rotated
 * admin key voids the links made before), under Herald's public URL.
 */
export class AckLinks {
  private key: Buffer;
  private secret: string;

  constructor(
    secret: string,
    /** Herald's own URL, as people reach it (HERALD_PUBLIC_URL; local mode: the address it listens on). */
    private baseUrl: string | undefined,
  ) {
    this.secret = secret;
    this.key = linkKeyOf(secret);
  }

  /** Local mode knows its address once it listens. */
  useBaseUrl(url: string): void {
    this.baseUrl = url;
  }

  /** The admin key from now on (rotated in its secret). */
  useSecret(secret: string): void {
    if (secret === this.secret) return;
    this.secret = secret;
    this.key = linkKeyOf(secret);
  }

  /** The link that acknowledges this incident, or undefined when Herald does not know its own URL. */
  urlOf(incidentId: string, now: Date): string | undefined {
    return this.baseUrl ? `${this.baseUrl.replace(/\/+$/, '')}/ack/${ackToken(this.key, incidentId, now)}` : undefined;
  }

  check(token: string, now: Date): AckTokenCheck {
    return checkAckToken(this.key, token, now);
  }
}

export type IncidentDeps = Pick<HeraldDeps, 'incidents' | 'clock' | 'deliveries'> & { links?: AckLinks };

/** What the incident step makes of a failure or a recovery: the event, naming its incident, and whether its messages are held. */
export interface IncidentStep {
  event: HeraldEvent;
  /** The incident is acknowledged: this failure of it is told to nobody. */
  heldBy?: Incident;
  /** An open incident: who is told of this failure is noted on it (beside who was told before). */
  tell?: { id: string; told: Told[] };
  /** The recovery: the notifiers told of the incident hear of it (an escalation's later steps among them). */
  alsoNotify?: ReadonlySet<string>;
}

/**
 * After the state change: a first failure opens the check's incident; a further failure
 * (another failing status) of an acknowledged one is held; the recovery resolves it. Each
 * failure's messages carry the link that acknowledges it.
 */
export async function incidentStep(deps: IncidentDeps, check: StateCheck, now: Date): Promise<IncidentStep> {
  const { event, incident } = check;
  if (!incident || !check.state) return { event };
  const withIncident = (acknowledgeUrl?: string): HeraldEvent => ({
    ...event,
    incident: { id: incident.id, ...(acknowledgeUrl ? { acknowledgeUrl } : {}) },
  });
  if (incident.change === 'recovered') {
    const resolved = await deps.incidents.resolve(event.appId, incident.id, { by: 'recovery', at: now });
    if (resolved) await cancelPendingSteps(deps, resolved);
    const told = resolved?.told.map((t) => t.notifierId) ?? [];
    return { event: withIncident(), ...(told.length ? { alsoNotify: new Set(told) } : {}) };
  }
  const failure = { severity: event.severity, title: event.title ?? event.type, lastEventId: event.id };
  const opened = (): Incident => ({
    id: incident.id,
    appId: event.appId,
    check: checkNameOf(event, check.state?.key ?? ''),
    stateKey: check.state?.key ?? '',
    status: 'open',
    since: now.toISOString(),
    eventId: event.id,
    told: [],
    ...failure,
  });
  if (incident.change === 'opened') {
    await deps.incidents.open(opened());
    return { event: withIncident(deps.links?.urlOf(incident.id, now)), tell: { id: incident.id, told: [] } };
  }
  const [known] = await Promise.all([
    deps.incidents.get(event.appId, incident.id),
    deps.incidents.noteFailure(event.appId, incident.id, failure),
  ]);
  // The state names an incident that is not there (a request died between the two writes): open it now.
  if (!known) await deps.incidents.open(opened());
  if (known?.status === 'acknowledged') return { event: withIncident(), heldBy: known };
  if (known?.status === 'resolved') return { event: withIncident() };
  return { event: withIncident(deps.links?.urlOf(incident.id, now)), tell: { id: incident.id, told: known?.told ?? [] } };
}

/** An acknowledged incident's failure: each delivery is recorded suppressed, nothing is sent. */
export function holdForAcknowledged(planned: PlannedDelivery[], incident: Incident): void {
  for (const { delivery } of planned) {
    if (delivery.status !== 'queued') continue;
    delivery.status = 'suppressed';
    delivery.reason = acknowledgedReason(incident);
  }
}

/** After a failure's deliveries are sent: who was told of its incident, those not noted yet. */
export async function noteTold(
  deps: Pick<HeraldDeps, 'incidents'>,
  appId: string,
  tell: NonNullable<IncidentStep['tell']>,
  sent: PlannedDelivery[],
) {
  const known = new Set(tell.told.map((t) => `${t.notifierId}\n${t.recipient}`));
  const told = sent
    .map(({ delivery: { notifierId, channel, recipient } }) => ({ notifierId, channel, recipient }))
    .filter((t) => !known.has(`${t.notifierId}\n${t.recipient}`));
  if (told.length) await deps.incidents.noteTold(appId, tell.id, told);
}

export type ApiIncidentDeps = Pick<HeraldDeps, 'apps' | 'incidents' | 'clock' | 'routing' | 'queue' | 'events' | 'deliveries' | 'states'>;

/** An incident as the API shows it: who was told with their recipients masked (a webhook URL, a routing key are secrets). */
export const shownIncident = (incident: Incident): Incident => ({
  ...incident,
  told: incident.told.map((t) => ({ ...t, recipient: ADDRESSING[t.channel]?.maskRecipient(t.recipient) ?? '…' })),
});

export async function listIncidents(
  deps: ApiIncidentDeps,
  appId: string,
  filter: { status?: IncidentStatus },
  page: { limit: number; cursor?: string },
): Promise<Page<Incident>> {
  await getApp(deps, appId);
  const found = await deps.incidents.list(appId, filter, page);
  return { items: found.items.map(shownIncident), nextCursor: found.nextCursor };
}

export async function getIncident(deps: Pick<HeraldDeps, 'incidents'>, appId: string, incidentId: string): Promise<Incident> {
  const incident = await deps.incidents.get(appId, incidentId);
  if (!incident) throw new NotFoundError(`Incident ${incidentId}`);
  return shownIncident(incident);
}

/**
 * open → acknowledged, announced to whoever was told of it. 404 when there is no such
 * incident; 409 when it is acknowledged or resolved already (saying by whom).
 */
export const acknowledgeIncident = (
  deps: ApiIncidentDeps,
  appId: string,
  incidentId: string,
  input: { by?: string; note?: string },
  principal: Principal | undefined,
): Promise<Incident> => act(deps, 'acknowledged', appId, incidentId, input, principal);

/** open or acknowledged → resolved by hand, announced likewise (incident tools close theirs). */
export const resolveIncident = (
  deps: ApiIncidentDeps,
  appId: string,
  incidentId: string,
  input: { by?: string; note?: string },
  principal: Principal | undefined,
): Promise<Incident> => act(deps, 'resolved', appId, incidentId, input, principal);

/** A person's acknowledgement or resolution: written once (conditional), the same request again answered alike, announced. */
async function act(
  deps: ApiIncidentDeps,
  action: 'acknowledged' | 'resolved',
  appId: string,
  incidentId: string,
  input: { by?: string; note?: string },
  principal: Principal | undefined,
): Promise<Incident> {
  const by = byOf(input.by, principal);
  const at = deps.clock();
  const done =
    action === 'acknowledged'
      ? await deps.incidents.acknowledge(appId, incidentId, { by, ...(input.note ? { note: input.note } : {}), at })
      : await deps.incidents.resolve(appId, incidentId, { by, at });
  const incident =
    done ??
    (await repeated(deps, appId, incidentId, (i) =>
      action === 'acknowledged'
        ? i.status === 'acknowledged' && i.acknowledgedBy === by && i.note === input.note
        : i.status === 'resolved' && i.resolvedBy === by,
    ));
  await cancelPendingSteps(deps, incident);
  await announce(deps, incident, action, by, input.note);
  return shownIncident(incident);
}

/**
 * The same request again (its first answer lost, its announcement perhaps not made): the
 * incident as it is, to announce again (the announcement's ids are the same: sent once).
 * Else why not: 404, or 409 saying by whom.
 */
async function repeated(
  deps: ApiIncidentDeps,
  appId: string,
  incidentId: string,
  same: (incident: Incident) => boolean,
): Promise<Incident> {
  const incident = await deps.incidents.get(appId, incidentId);
  if (incident && same(incident)) return incident;
  throw await whyNot(deps, appId, incidentId);
}

async function whyNot(deps: Pick<HeraldDeps, 'incidents'>, appId: string, incidentId: string): Promise<Error> {
  const incident = await deps.incidents.get(appId, incidentId);
  if (!incident) return new NotFoundError(`Incident ${incidentId}`);
  if (incident.status === 'resolved')
    return new ConflictError(`The incident is resolved already${incident.resolvedBy ? ` (by ${incident.resolvedBy})` : ''}`);
  return new ConflictError(`The incident is acknowledged already${incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : ''}`);
}

/** What a one-click link names: its incident (and app), or why it is refused. */
export type LinkedIncident = { ok: true; incident: Incident } | { ok: false; status: 400 | 403 | 404 | 410; why: string };

export async function incidentOfLink(deps: IncidentDeps, token: string): Promise<LinkedIncident> {
  const checked = deps.links?.check(token, deps.clock());
  if (!checked) return { ok: false, status: 404, why: 'This Herald makes no acknowledge links.' };
  if (!checked.ok) {
    if (checked.why === 'expired')
      return { ok: false, status: 410, why: 'This link has expired: acknowledge the incident in the console.' };
    return { ok: false, status: checked.why === 'malformed' ? 400 : 403, why: 'This link is not one Herald made, or it was changed.' };
  }
  const appId = await deps.incidents.appOf(checked.incidentId);
  const incident = appId && (await deps.incidents.get(appId, checked.incidentId));
  return incident ? { ok: true, incident } : { ok: false, status: 404, why: 'The incident is gone (resolved past the retention).' };
}

/**
 * The announcement of what a person did, to the notifiers told of the incident (each at the
 * recipients it has now), as an event of the app: in the delivery log like any other, sent
 * whatever those notifiers select (they were told of the incident), and to nobody else.
 */
async function announce(deps: ApiIncidentDeps, incident: Incident, action: 'acknowledged' | 'resolved', by: string, note?: string) {
  const told = new Set(incident.told.map((t) => t.notifierId));
  if (told.size === 0) return;
  const view = await deps.routing.view(incident.appId);
  if (!view.app) return;
  const now = deps.clock();
  // The same id for the same acknowledgement (or resolution): announced again, it is sent once.
  const at = action === 'acknowledged' ? incident.acknowledgedAt : incident.resolvedAt;
  const id = carrierEventId(`${incident.id}:${action}`, 1, at ? Date.parse(at) : deps.clock().getTime());
  const event: HeraldEvent = {
    id,
    appId: incident.appId,
    ...announcementOf(incident, action, by, note),
    incident: { id: incident.id },
    occurredAt: now.toISOString(),
    receivedAt: now.toISOString(),
  };
  const notifiers = view.notifiers.filter((n: Notifier) => told.has(n.id) && n.enabled);
  const planned = planDeliveries({
    event,
    app: view.app,
    notifiers,
    reach: reachIn(view),
    alsoNotify: told,
    deliveryId: deliveryIdFor(id),
    now: now.toISOString(),
  });
  await commit(deps, [{ check: { unchanged: false, event }, planned, toSend: planned, resumed: false, now }]);
}
