import { createHash } from 'node:crypto';
import { encodeTime } from 'ulid';
import { fieldOf } from './silences.js';
import { isHealthy, stateOf, subjectOf } from './state-change.js';
import { SEVERITIES, type HeraldEvent, type Severity } from './types.js';

/*
 * Grouping (issue 17), with Alertmanager's semantics, per notifier: events that match the
 * notifier and share the values of its `by` fields form a group. The first event of a group
 * waits `wait` for others, then one notification lists them; events that join later go out
 * together every `interval`; a group with members still failing is sent again every
 * `repeat`. A recovery belongs to the group of the failure it recovers, and one that leaves
 * no member failing is sent at once. Pure: the group's store and its timers are the
 * services' (services/grouping.ts).
 */

export interface GroupingSettings {
  /** `app`, an event field (`type`, `severity`, `check`, ...), or `data.<path>` / `source.<path>`. */
  by: string[];
  waitSeconds: number;
  intervalSeconds: number;
  repeatSeconds: number;
}

export const DEFAULT_GROUPING = { waitSeconds: 30, intervalSeconds: 300, repeatSeconds: 14_400 } as const;

/**
 * Digests (Novu's and Knock's), per notifier, on the same machinery: every event the notifier
 * gets in a window is told in one message ("12 events in Shop since 09:00: 9 app_deployed, 2
 * app_crashed, 1 database_backup_failed"). A window starts with its first event and lasts
 * `windowSeconds`, or ends at the next time of a cron `schedule` in `timeZone` (a daily or
 * weekly summary); `maxItems` ends it early; `sendFirst` sends a window's first event at once
 * and digests the rest.
 */
export type DigestSettings = ({ windowSeconds: number } | { schedule: string; timeZone?: string }) & {
  maxItems?: number;
  sendFirst?: boolean;
};

/** A digest is its notifier's one group. */
export const digestKeyOf = (notifierId: string): string => `${notifierId}/digest`;

/** How many members a notification lists; the rest are counted ("and 12 more"). */
export const LISTED_MEMBERS = 20;
/** How much of a member's title and check a notification lists. */
const MEMBER_TEXT = 60;

/** The type of a group's notification (an event of its own, with its own deliveries), and of a digest. */
export const GROUP_TYPE = 'group';
export const DIGEST_TYPE = 'digest';
/** Whether an event is a group's notification or a digest (templates get `group`, webhooks `group`). */
export const isGroupNotice = (type: string): boolean => type === GROUP_TYPE || type === DIGEST_TYPE;

/** One event of a group, as its notification lists it. */
export interface GroupMember {
  eventId: string;
  /** The event's app (a global notifier's group may hold several). */
  appId: string;
  type: string;
  severity: Severity;
  title: string;
  /** What failed or recovered (a check, a monitor), for a status event. */
  check?: string;
  /** `firing`: a failure; `resolved`: a recovery; `event`: neither (a deploy). */
  status: 'firing' | 'resolved' | 'event';
  at: string;
  /** A recovery: how long it was failing. */
  downSeconds?: number;
  /** A failure's incident (acknowledged ones are not repeated). */
  incident?: string;
}

/** What a group's notification says: stored with the group when it is taken, so that a retry sends the same. */
export interface GroupNotice {
  /** Which of the group's notifications this is (1, 2, ...). */
  seq: number;
  key: string;
  by: Record<string, string>;
  /** Members that came since the last notification, the first LISTED_MEMBERS of them. */
  items: GroupMember[];
  count: number;
  /** Members failing now, the first LISTED_MEMBERS, and how many. */
  firing: GroupMember[];
  firingCount: number;
  /** A repeat: nothing new, members still failing. */
  repeat: boolean;
  /** When it started gathering (epoch ms: its carrier's id is made from it), and when it was taken (the carrier's time). */
  startedAt: number;
  takenAt: string;
  /** How many of each type came (all of them, not only those listed). */
  types?: Record<string, number>;
  /** A digest's: the time zone its "since" is told in. */
  digest?: { timeZone: string };
}

/** The values of the `by` fields (`app`: the app's id), as a group shows them. */
export function groupValuesOf(event: HeraldEvent, by: readonly string[]): Record<string, string> {
  return Object.fromEntries(by.map((field) => [field, field === 'app' ? event.appId : fieldOf(event, field)]));
}

/** The group's key: the notifier, and a hash of the values (any length, any characters). */
export function groupKeyOf(notifierId: string, values: Record<string, string>): string {
  const hash = createHash('sha256')
    .update(JSON.stringify(Object.entries(values)))
    .digest('base64url')
    .slice(0, 22);
  return `${notifierId}/${hash}`;
}

/** The key of a member that fails and recovers (its check's state), to tell a recovery which failure it ends. */
export const memberKeyOf = (stateKey: string): string => createHash('sha256').update(stateKey).digest('base64url').slice(0, 22);

/** An event as its group's notification lists it. */
export function memberOf(event: HeraldEvent): GroupMember {
  const state = stateOf(event);
  const down = event.data?.['previousStatusSeconds'];
  const check = subjectOf(event);
  return {
    eventId: event.id,
    appId: event.appId,
    type: event.type,
    severity: event.severity,
    // Short enough that twenty lines and "and N more" fit a Slack section (3,000 characters) whole.
    title: Array.from(event.title ?? check ?? event.type)
      .slice(0, MEMBER_TEXT)
      .join(''),
    ...(check ? { check: Array.from(check).slice(0, MEMBER_TEXT).join('') } : {}),
    status: !state ? 'event' : isHealthy(state.status) ? 'resolved' : 'firing',
    at: event.occurredAt,
    ...(state && isHealthy(state.status) && typeof down === 'number' ? { downSeconds: down } : {}),
    ...(event.incident ? { incident: event.incident.id } : {}),
  };
}

/** When a digest's window that starts now ends: after its length, or at the next time of its schedule. */
export async function digestDueAt(settings: DigestSettings, now: Date): Promise<Date> {
  if ('windowSeconds' in settings) return new Date(now.getTime() + settings.windowSeconds * 1000);
  const { Cron } = await import('croner');
  const next = new Cron(settings.schedule, { timezone: settings.timeZone ?? 'UTC' }).nextRun(now);
  return next ?? new Date(now.getTime() + 86_400_000);
}

/**
 * When the group's next notification is due, as a member joins a group with none scheduled:
 * after `wait` for a group that never sent one, else `interval` after the last (at once when
 * that is past).
 */
export function dueAt(settings: GroupingSettings, lastSentAt: string | undefined, now: Date): Date {
  if (!lastSentAt) return new Date(now.getTime() + settings.waitSeconds * 1000);
  return new Date(Math.max(now.getTime(), Date.parse(lastSentAt) + settings.intervalSeconds * 1000));
}

/**
 * The id of the event that carries a group's notification: the same for every function that
 * computes it (a member's delivery names it before it exists), a ULID of when the
 * notification started gathering and a hash of the group and its number.
 */
export function carrierEventId(key: string, seq: number, startedAt: number): string {
  const digest = createHash('sha256').update(`${key}#${seq}`).digest();
  const random = Array.from(digest.subarray(0, 16), (b) => CROCKFORD[b & 31]).join('');
  return `evt_${encodeTime(startedAt, 10)}${random}`.toLowerCase();
}
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The notification as an event of its own: a headline that counts, the members listed, `group` in its data for templates and webhooks. */
export function groupEventOf(notice: GroupNotice, base: Pick<HeraldEvent, 'id' | 'appId'>, appName: string, now: Date): HeraldEvent {
  const listed = notice.repeat ? notice.firing : notice.items;
  const total = notice.repeat ? notice.firingCount : notice.count;
  const resolved = listed.filter((m) => m.status === 'resolved');
  const severity = worst([...listed, ...notice.firing].map((m) => m.severity));
  const values = Object.values(notice.by).filter(Boolean).join(', ');
  const kinds = notice.types && Object.keys(notice.types).length ? typesSummary(notice.types) : summaryOf(listed, total);
  const title = notice.digest
    ? `${countOf(total, 'event')} in ${appName} since ${clockTime(notice.startedAt, notice.digest.timeZone)}: ${kinds}`
    : notice.repeat
      ? `Still failing in ${appName}: ${countOf(total, 'member')}${values ? ` (${values})` : ''}`
      : resolved.length === total && notice.firingCount === 0
        ? `Resolved in ${appName}: ${countOf(total, 'event')}${values ? ` (${values})` : ''}`
        : `${countOf(total, 'event')} in ${appName}${values ? ` (${values})` : ''}: ${kinds}`;
  const lines = listed.map((m) => `- ${lineOf(m)}`);
  if (total > listed.length) lines.push(`and ${total - listed.length} more`);
  if (!notice.repeat && notice.firingCount > 0) lines.push('', `${countOf(notice.firingCount, 'member')} failing now.`);
  return {
    ...base,
    type: notice.digest ? DIGEST_TYPE : GROUP_TYPE,
    severity,
    title,
    message: lines.join('\n'),
    occurredAt: now.toISOString(),
    receivedAt: now.toISOString(),
    data: {
      group: {
        key: notice.key,
        by: notice.by,
        seq: notice.seq,
        count: total,
        items: listed,
        more: Math.max(0, total - listed.length),
        firing: notice.firing,
        firingCount: notice.firingCount,
        resolved,
        repeat: notice.repeat,
        ...(notice.types ? { types: notice.types } : {}),
        ...(notice.digest ? { since: new Date(notice.startedAt).toISOString() } : {}),
      },
    },
  };
}

/** "9 app_deployed, 2 app_crashed": every type that came, most first. */
function typesSummary(types: Record<string, number>): string {
  return Object.entries(types)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([type, n]) => `${n} ${type}`)
    .join(', ');
}

/** `09:00` in the time zone (UTC when it is not one). */
function clockTime(at: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  } catch {
    return new Date(at).toISOString().slice(11, 16);
  }
}

function lineOf(m: GroupMember): string {
  const what = m.check && m.check !== m.title ? `${m.title} (${m.check})` : m.title;
  if (m.status === 'resolved') return `${what}: recovered${m.downSeconds !== undefined ? ` after ${Math.round(m.downSeconds)} s` : ''}`;
  return `${what} [${m.type}]`;
}

/** "9 deploy, 2 app_crashed, 1 backup failed": counts by type, most first, of the members listed (scaled to the total when more came). */
function summaryOf(listed: GroupMember[], total: number): string {
  const byType = new Map<string, number>();
  for (const m of listed) {
    const key = m.status === 'resolved' ? `${m.type} (recovered)` : m.type;
    byType.set(key, (byType.get(key) ?? 0) + 1);
  }
  const parts = [...byType].sort((a, b) => b[1] - a[1]).map(([type, n]) => `${n} ${type}`);
  return total > listed.length ? `${parts.join(', ')}, …` : parts.join(', ');
}

const countOf = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

const worst = (severities: Severity[]): Severity =>
  severities.reduce<Severity>((w, s) => (SEVERITIES.indexOf(s) > SEVERITIES.indexOf(w) ? s : w), 'info');
