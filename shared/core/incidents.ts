import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChannelName, HeraldEvent, Severity } from './types.js';

/*
 * Incidents (issue 17): a check that fails opens an incident, per app and check (the key of
 * its state: `check:db`, `monitor:https://…`, an inbound alert's `<source>/<name>#<fp>`); its
 * recovery resolves it. A person acknowledges it ("I'm on it"): from then on it sends no
 * further notifications of the same failure (as PagerDuty, a new trigger of an acknowledged
 * incident stays acknowledged), until it recovers; a failure after that opens a new one.
 *
 * Pure: the decisions and the one-click link's token. The store and the ingest step are the
 * services' (services/incidents.ts).
 */

export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Who was told of an incident: one notifier's recipient. */
export interface Told {
  notifierId: string;
  channel: ChannelName;
  recipient: string;
}

export interface Incident {
  id: string;
  appId: string;
  /** What failed, as the event named it: `data.check`, else the state's key (`monitor:https://…`). */
  check: string;
  /** The key of the check's state (state-change.ts): what a recovery is matched on. */
  stateKey: string;
  status: IncidentStatus;
  /** When it opened. */
  since: string;
  severity: Severity;
  title: string;
  /** The failure that opened it, and the latest failure of it. */
  eventId: string;
  lastEventId: string;
  /** Who was told of it (at most TOLD_KEPT). */
  told: Told[];
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  note?: string;
  resolvedAt?: string;
  /** Who resolved it, or `recovery` when its check recovered. */
  resolvedBy?: string;
}

/** What an event says of its incident: stored with the event and in every message of it. */
export interface EventIncident {
  id: string;
  /** The one-click acknowledge link, while the incident is open (a failure's messages carry it). */
  acknowledgeUrl?: string;
}

export const TOLD_KEPT = 50;

/** The announcements Herald makes of what people did to an incident. */
export const ACKNOWLEDGED_TYPE = 'incident.acknowledged';
export const RESOLVED_TYPE = 'incident.resolved';

/** Why a failure of an acknowledged incident is sent to nobody. */
export const acknowledgedReason = (incident: Pick<Incident, 'id' | 'acknowledgedBy'>): string =>
  `acknowledged: ${incident.id}${incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : ''}`;

/** The check as people name it: the event's `data.check`, else its state's key. */
export const checkNameOf = (event: Pick<HeraldEvent, 'data'>, stateKey: string): string =>
  typeof event.data?.['check'] === 'string' ? (event.data['check'] as string) : stateKey;

/**
 * The event announcing that a person acknowledged (or resolved) the incident, to the
 * notifiers that were told of it: "Ack by ops@example.com: looking into it". It names the
 * incident's state key, so that an incident tool updates the incident it opened (PagerDuty's
 * dedup_key, Opsgenie's alias) rather than opening another.
 */
export function announcementOf(
  incident: Incident,
  action: 'acknowledged' | 'resolved',
  by: string,
  note: string | undefined,
): Pick<HeraldEvent, 'type' | 'severity' | 'title' | 'message' | 'data' | 'fingerprint'> {
  const verb = action === 'acknowledged' ? 'Ack' : 'Resolved';
  return {
    type: action === 'acknowledged' ? ACKNOWLEDGED_TYPE : RESOLVED_TYPE,
    severity: 'info',
    title: `${verb} by ${by}${note ? `: ${note}` : ''}`,
    message: `${incident.title} (${incident.check}), open since ${incident.since}.`,
    fingerprint: `${incident.id}:${action}`,
    data: {
      incident: incident.id,
      incidentCheck: incident.check,
      stateKey: incident.stateKey,
      by,
      ...(note ? { note } : {}),
    },
  };
}

/** The state key an announcement is about (incident tools update that incident), if the event is one. */
export function announcedStateKey(event: Pick<HeraldEvent, 'type' | 'data'>): string | undefined {
  if (event.type !== ACKNOWLEDGED_TYPE && event.type !== RESOLVED_TYPE) return undefined;
  const key = event.data?.['stateKey'];
  return typeof key === 'string' ? key : undefined;
}

/*
 * The one-click acknowledge link: /ack/<token>, token = <ulid>.<expires>.<mac>, where ulid is
 * the incident id's (icd_<ulid>), expires the unix second it stops working (base 36), and mac
 * the first 12 bytes of HMAC-SHA256 over "ack", the incident and the expiry, keyed by the
 * installation's link key: it can only acknowledge that incident, until then. Short enough
 * for an SMS (about 50 characters).
 */

/** How long a link acknowledges. */
export const ACK_LINK_SECONDS = 7 * 24 * 3600;
const MAC_BYTES = 12;
const TOKEN = /^([0-9a-z]{26})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{16})$/;

const macOf = (key: Buffer, incidentId: string, expires: number): Buffer =>
  createHmac('sha256', key).update(`ack\n${incidentId}\n${expires}`).digest().subarray(0, MAC_BYTES);

/** The key links are signed with, derived from a secret of the installation (its admin key): another secret, another key. */
export const linkKeyOf = (secret: string): Buffer => createHmac('sha256', secret).update('herald ack links v1').digest();

export function ackToken(key: Buffer, incidentId: string, now: Date, seconds = ACK_LINK_SECONDS): string {
  const expires = Math.floor(now.getTime() / 1000) + seconds;
  return `${incidentId.slice(4)}.${expires.toString(36)}.${macOf(key, incidentId, expires).toString('base64url')}`;
}

export type AckTokenCheck =
  { ok: true; incidentId: string } | { ok: false; why: 'malformed' | 'tampered' | 'expired'; incidentId?: string };

/** Whether a token is one Herald made (any change to it fails), and still in time. */
export function checkAckToken(key: Buffer, token: string, now: Date): AckTokenCheck {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, why: 'malformed' };
  const [, ulid, expiresText, mac] = match as unknown as [string, string, string, string];
  const incidentId = `icd_${ulid}`;
  const expires = parseInt(expiresText, 36);
  const expected = macOf(key, incidentId, expires);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'tampered' };
  if (expires * 1000 <= now.getTime()) return { ok: false, why: 'expired', incidentId };
  return { ok: true, incidentId };
}
