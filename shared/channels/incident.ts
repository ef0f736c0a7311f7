import { createHash } from 'node:crypto';
import { GROUP_TYPE, isGroupNotice } from '../core/grouping.js';
import { ACKNOWLEDGED_TYPE, announcedStateKey } from '../core/incidents.js';
import { isHealthy, stateOf } from '../core/state-change.js';
import type { DeliveryMessage } from '../core/types.js';
import type { SendContext } from './channel.js';

/** What an event is to an incident tool: it opens (or updates) an incident, acknowledges one, closes one, or neither. */
export type IncidentAction = 'trigger' | 'acknowledge' | 'resolve';

export interface IncidentUpdate {
  action: IncidentAction;
  /** The same for a failure and its recovery: PagerDuty's dedup_key, Opsgenie's alias. */
  key: string;
}

/**
 * Failures (warning and critical events) trigger; recoveries (a healthy status of something
 * that reports one: monitor.recovery, server.backon, a check back to OK) resolve; a person's
 * acknowledgement or resolution of Herald's incident (services/incidents.ts announces it)
 * acknowledges or resolves the tool's; other info events are no incident, except a notifier
 * test (an info alert). The key names what failed: the state's subject, else the event's
 * fingerprint, else its type, within the app; hashed when longer than the tools allow.
 */
export function incidentUpdate(message: DeliveryMessage): IncidentUpdate | undefined {
  const { event, app } = message;
  const announced = announcedStateKey(event);
  if (announced) return { action: event.type === ACKNOWLEDGED_TYPE ? 'acknowledge' : 'resolve', key: keyOf(app.id, announced) };
  if (isGroupNotice(event.type)) return groupUpdate(event, app.id);
  const state = stateOf(event);
  // A notifier test is asked for by hand: it opens a (low-severity) alert, to be seen and closed.
  const action: IncidentAction | undefined =
    state && isHealthy(state.status) ? 'resolve' : event.severity !== 'info' || event.type === 'notifier_test' ? 'trigger' : undefined;
  if (!action) return undefined;
  return { action, key: keyOf(app.id, state?.key ?? event.fingerprint ?? event.type) };
}

/**
 * A group's notification is one incident per group: it triggers while members fail (or
 * warnings and worse came), and resolves it once none fails. A digest is an alert of its
 * window, when it holds warnings or worse.
 */
function groupUpdate(event: DeliveryMessage['event'], appId: string): IncidentUpdate | undefined {
  const group = (event.data?.['group'] ?? {}) as { key?: string; seq?: number; firingCount?: number; resolved?: unknown[] };
  if (event.type === GROUP_TYPE) {
    const firing = (group.firingCount ?? 0) > 0;
    const action: IncidentAction | undefined = firing
      ? 'trigger'
      : group.resolved?.length
        ? 'resolve'
        : event.severity !== 'info'
          ? 'trigger'
          : undefined;
    return action && { action, key: keyOf(appId, `group:${group.key}`) };
  }
  return event.severity === 'info' ? undefined : { action: 'trigger', key: keyOf(appId, `digest:${group.key}#${group.seq}`) };
}

function keyOf(appId: string, what: string): string {
  const key = `herald:${appId}:${what}`;
  return key.length <= 200 ? key : `herald:${appId}:${createHash('sha256').update(key).digest('hex')}`;
}

/** Why an info event is not sent to an incident tool. */
export const NOT_AN_INCIDENT = 'not an incident: info events neither open nor close one (only failures and recoveries are sent)';

/**
 * Whether this update is still the newest of its incident (see IncidentLedger). Updates are
 * ordered by when the event occurred, then by event id (ids grow with time).
 */
export async function isNewest(message: DeliveryMessage, update: IncidentUpdate, context: SendContext): Promise<boolean> {
  if (!context.incidentLedger) return true;
  const incident = `${message.delivery.channel}:${message.delivery.recipient}:${update.key}`;
  return context.incidentLedger.advance(message.app.id, incident, `${message.event.occurredAt}#${message.event.id}`);
}

export const SUPERSEDED = 'superseded: a newer update of this incident was already sent';
