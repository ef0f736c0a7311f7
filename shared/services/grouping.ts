import { recipientsOf } from '../channels/addressing.js';
import {
  carrierEventId,
  DEFAULT_GROUPING,
  dueAt,
  groupEventOf,
  groupKeyOf,
  groupValuesOf,
  LISTED_MEMBERS,
  memberKeyOf,
  memberOf,
  digestDueAt,
  digestKeyOf,
  type GroupingSettings,
  type GroupMember,
  type GroupNotice,
} from '../core/grouping.js';
import type { StoredGroup, Timer } from '../core/ports.js';
import { planDeliveries, type PlannedDelivery } from '../core/routing.js';
import { INSTALLATION, type HeraldEvent, type Notifier } from '../core/types.js';
import { carriedBy } from '../delivery-ids.js';
import { deliveryIdFor } from '../ids.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';
import { commit } from './ingest.js';
import type { StateCheck } from './notifier-policies.js';

/**
 * Grouping (core/grouping.ts) at ingest and when a group's timer fires. At ingest, the
 * deliveries of a notifier that groups are not sent: the event joins the notifier's group
 * (one conditional write) and each delivery is recorded `grouped`, naming the delivery that
 * will carry the group's notification. The first member of a notification sets its timer;
 * when it fires, the notification is taken (a write conditional on the group's `seq`: once,
 * however many timers and functions race) and sent as an event of its own, to that notifier
 * only. Members still failing set the timer of a repeat.
 */

export type GroupingDeps = Pick<HeraldDeps, 'groups' | 'timers' | 'clock'>;

/** How long past its time a notification may be before a member that joins sets its timer again (the first one's was lost). */
const OVERDUE_MS = 60_000;
/**
 * What one group's item holds at most (DynamoDB: 400 KB an item, 4 KB an expression): failing
 * members noted one by one (more are counted, not repeated), and types counted one by one
 * (more are counted together).
 */
const TRACKED_FAILURES = 500;
const COUNTED_TYPES = 50;
const OTHER_TYPES = '(other types)';
/** A timer may come this much before its time and still take the notification (not an interval early: SQS rounds delays up). */
const EARLY_MS = 200;
/** Reads and takes before a timer gives up for now (members joining all the while). */
const TAKE_ATTEMPTS = 20;
/** How long a group is kept past its last change (beyond a repeat's time): DynamoDB TTL. */
const KEPT_SECONDS = 7 * 86_400;

const settingsOf = (notifier: Notifier): GroupingSettings => ({ ...DEFAULT_GROUPING, ...notifier.grouping }) as GroupingSettings;

/**
 * How a notifier gathers its events: into groups by the values of its `by` fields (grouping),
 * or all into its one digest.
 */
interface Gathering {
  key: string;
  by: Record<string, string>;
  /** When a notification that starts gathering now is due (after the last one at lastSentAt). */
  dueAt(lastSentAt: string | undefined, now: Date): Promise<Date>;
  /** Grouping's: members failing are noted, repeated, and end the group when they recover. */
  tracksFailures: boolean;
  expiresAt(now: Date): number;
  maxItems?: number;
  sendFirst?: boolean;
}

function gatheringOf(notifier: Notifier, check: StateCheck): Gathering | undefined {
  if (notifier.digest) {
    const digest = notifier.digest;
    return {
      key: digestKeyOf(notifier.id),
      by: {},
      // A schedule's time zone: its own, else its notifier's (as its messages' times), else UTC.
      dueAt: (_last, now) => digestDueAt('schedule' in digest ? { ...digest, timeZone: digestTimeZone(notifier) } : digest, now),
      tracksFailures: false,
      // A schedule may be monthly, or yearly: kept long enough for its window to end.
      expiresAt: (now) =>
        Math.floor(now.getTime() / 1000) + KEPT_SECONDS + ('windowSeconds' in digest ? digest.windowSeconds : 400 * 86_400),
      ...(digest.maxItems ? { maxItems: digest.maxItems } : {}),
      ...(digest.sendFirst ? { sendFirst: true } : {}),
    };
  }
  if (!notifier.grouping) return undefined;
  const settings = settingsOf(notifier);
  const by = groupValuesOf(check.event, settings.by);
  return {
    // A recovery joins the group its failure joined, whatever its own values.
    key: check.groups?.[notifier.id] ?? groupKeyOf(notifier.id, by),
    by,
    dueAt: async (last, now) => dueAt(settings, last, now),
    tracksFailures: true,
    expiresAt: (now) => Math.floor(now.getTime() / 1000) + settings.repeatSeconds + KEPT_SECONDS,
  };
}

/** The deliveries of grouping and digesting notifiers join their groups: the rest are sent now; the groups joined, by notifier. */
export async function groupDeliveries(
  deps: GroupingDeps,
  toSend: PlannedDelivery[],
  notifiers: readonly Notifier[],
  check: StateCheck,
  now: Date,
): Promise<{ toSend: PlannedDelivery[]; grouped: PlannedDelivery[]; groups: Record<string, string> }> {
  const gathering = new Map(notifiers.filter((n) => n.grouping || n.digest).map((n) => [n.id, n]));
  const joining = toSend.filter((p) => gathering.has(p.delivery.notifierId));
  if (joining.length === 0) return { toSend, grouped: [], groups: {} };
  const groups: Record<string, string> = {};
  const sentAtOnce = new Set<string>();
  await Promise.all(
    [...new Set(joining.map((p) => p.delivery.notifierId))].map(async (notifierId) => {
      const notifier = gathering.get(notifierId) as Notifier;
      const how = gatheringOf(notifier, check) as Gathering;
      const carrier = await join(deps, notifier, how, check, now);
      if (!carrier) return void sentAtOnce.add(notifierId); // the first of a digest's window, sent at once
      if (how.tracksFailures) groups[notifierId] = how.key;
      for (const { delivery } of joining.filter((p) => p.delivery.notifierId === notifierId)) {
        delivery.status = 'grouped';
        delivery.reason = carriedBy(deliveryIdFor(carrier)(notifierId, delivery.recipient));
      }
    }),
  );
  const grouped = joining.filter((p) => !sentAtOnce.has(p.delivery.notifierId));
  return { toSend: toSend.filter((p) => !grouped.includes(p)), grouped, groups };
}

/**
 * The event joins the notification its group gathers (read, then written if the group did
 * not move on): the carrier's event id. Undefined when it opened a digest's window instead,
 * to be sent at once (`sendFirst`).
 */
async function join(deps: GroupingDeps, notifier: Notifier, how: Gathering, check: StateCheck, now: Date): Promise<string | undefined> {
  const member = memberOf(check.event);
  const memberKey = how.tracksFailures && check.state && member.status !== 'event' ? memberKeyOf(check.state.key) : undefined;
  for (let attempt = 0; ; attempt++) {
    const before = await deps.groups.get(how.key);
    const base = {
      key: how.key,
      appId: notifier.appId,
      notifierId: notifier.id,
      by: before?.by ?? how.by,
      seq: before?.seq ?? 1,
      flushAt: before?.flushAt ?? (await how.dueAt(before?.lastSentAt, now)).toISOString(),
      startedAt: before?.seqStartedAt ?? now.getTime(),
      expiresAt: how.expiresAt(now),
    };
    if (how.sendFirst && !before?.flushAt && (await deps.groups.open({ ...base, startedAt: now.getTime() }))) {
      await setTimer(deps, { ...base, seq: base.seq }, new Date(base.flushAt));
      return undefined;
    }
    // Bounded, whatever comes: an item holds at most TRACKED_FAILURES failing members and COUNTED_TYPES counters.
    const tracked =
      memberKey && (member.status !== 'firing' || before?.firing[memberKey] || Object.keys(before?.firing ?? {}).length < TRACKED_FAILURES);
    const types = before?.types ?? {};
    const countAs = member.type in types || Object.keys(types).length < COUNTED_TYPES ? member.type : OTHER_TYPES;
    const joined = await deps.groups.join({
      ...base,
      member,
      list: (before?.items.length ?? 0) < LISTED_MEMBERS,
      ...(tracked ? { memberKey } : {}),
      countAs,
    });
    if (!joined) {
      if (attempt < 5) continue; // the group's notification was taken meanwhile: join the next
      throw new Error(`Herald: could not join group ${how.key}: it kept moving on`);
    }
    const endsFailure = !!memberKey && member.status === 'resolved' && !!before?.firing[memberKey];
    const full = !!how.maxItems && joined.count >= how.maxItems;
    await timeIt(
      deps,
      how,
      joined,
      { firstMember: joined.count === 1, soon: full || (endsFailure && Object.keys(joined.firing).length === 0) },
      now,
    );
    return carrierEventId(how.key, joined.seq, joined.seqStartedAt ?? now.getTime());
  }
}

/**
 * The notification's timer: set by its first member; brought forward by one that joins a
 * repeat (due at the interval, not the repeat), by a recovery that leaves no member failing
 * or by the member that fills a digest (at once); set again by any member when the first
 * one's was lost (long overdue).
 */
async function timeIt(
  deps: GroupingDeps,
  how: Gathering,
  group: StoredGroup,
  joined: { firstMember: boolean; soon: boolean },
  now: Date,
): Promise<void> {
  const scheduled = Date.parse(group.flushAt as string);
  const wanted = joined.soon ? now : how.tracksFailures ? await how.dueAt(group.lastSentAt, now) : new Date(scheduled);
  if (scheduled > wanted.getTime()) {
    if (await deps.groups.hasten(group.key, group.seq, wanted.toISOString())) await setTimer(deps, group, wanted);
  } else if (joined.firstMember || scheduled < now.getTime() - OVERDUE_MS) {
    await setTimer(deps, group, new Date(Math.max(scheduled, now.getTime())));
  }
}

const setTimer = (deps: GroupingDeps, group: Pick<StoredGroup, 'appId' | 'notifierId' | 'key' | 'seq'>, at: Date) =>
  deps.timers.set([{ timer: { kind: 'group', appId: group.appId, notifierId: group.notifierId, group: group.key, seq: group.seq }, at }]);

export type FlushDeps = Pick<
  HeraldDeps,
  'groups' | 'timers' | 'clock' | 'notifiers' | 'routing' | 'incidents' | 'queue' | 'events' | 'deliveries' | 'states'
>;

/**
 * A group's timer fired: take its notification (once, as read) and send it. A timer early (brought
 * forward twice, or from before a repeat was scheduled) is set again; one for a notification
 * taken already sends it again if it was this one (a retry after the take: the same
 * delivery ids, sent once), else does nothing.
 */
export async function flushGroup(deps: FlushDeps, timer: Extract<Timer, { kind: 'group' }>, now: Date): Promise<void> {
  // Read, then take as read: a member that joins in between makes the take fail, and it is read again.
  // The timer names the notifier's scope (its app, or * for a global one): read once, not at each attempt.
  const notifier = await deps.notifiers.get(timer.appId, timer.notifierId);
  for (let attempt = 0; attempt < TAKE_ATTEMPTS; attempt++) {
    const group = await deps.groups.get(timer.group);
    if (!group) return;
    if (group.seq !== timer.seq) {
      // A retry after the take: send what was taken again (the same ids: sent once), and set the repeat's timer again.
      if (group.sent?.seq === timer.seq && notifier) {
        await send(deps, group, group.sent, notifier);
        if (group.flushAt && group.count === 0) await setTimer(deps, group, new Date(group.flushAt));
      }
      return;
    }
    if (!group.flushAt) return;
    if (Date.parse(group.flushAt) > now.getTime() + EARLY_MS) {
      await deps.timers.set([{ timer, at: new Date(group.flushAt) }]);
      return;
    }
    const settings = notifier ? settingsOf(notifier) : { ...DEFAULT_GROUPING, by: [] };
    const firing = await stillFailing(deps, group);
    const repeat = group.count === 0;
    const notice: GroupNotice = {
      seq: group.seq,
      key: group.key,
      by: group.by,
      items: group.items.slice(0, LISTED_MEMBERS),
      count: group.count,
      firing: firing.slice(0, LISTED_MEMBERS),
      firingCount: firing.length,
      repeat,
      startedAt: group.seqStartedAt ?? now.getTime(),
      takenAt: now.toISOString(),
      ...(Object.keys(group.types).length ? { types: group.types } : {}),
      ...(notifier?.digest ? { digest: { timeZone: digestTimeZone(notifier) } } : {}),
    };
    // Repeats while members fail, as long as the notifier still groups (a PATCH may have ended it).
    const repeatAt = firing.length > 0 && notifier?.grouping ? new Date(now.getTime() + settings.repeatSeconds * 1000) : undefined;
    const expiresAt = Math.floor(now.getTime() / 1000) + settings.repeatSeconds + KEPT_SECONDS;
    if (!(await deps.groups.take(group.key, notice, now, repeatAt, expiresAt))) continue;
    if (repeatAt) await deps.timers.set([{ timer: { ...timer, seq: group.seq + 1 }, at: repeatAt }]);
    if (!notifier || !notifier.enabled) {
      logger.info('a group notification was not sent: its notifier is gone or disabled', {
        notifierId: timer.notifierId,
        group: group.key,
      });
      return;
    }
    if (repeat && firing.length === 0) return; // nothing new, nothing failing (or all acknowledged)
    await send(deps, group, notice, notifier);
    return;
  }
  // Members kept joining: the timer comes back (its message is not acknowledged) and tries again.
  throw new Error(`Herald: group ${timer.group} kept changing while its notification was taken`);
}

/** The time zone a digest says "since 09:00" in: its schedule's, else its notifier's. */
const digestTimeZone = (notifier: Notifier): string =>
  (notifier.digest && 'timeZone' in notifier.digest ? notifier.digest.timeZone : undefined) ?? notifier.timeZone ?? 'UTC';

/** The members failing now, but those whose incident someone acknowledged or resolved (they are not repeated). */
async function stillFailing(deps: Pick<FlushDeps, 'incidents'>, group: StoredGroup): Promise<GroupMember[]> {
  const firing = Object.values(group.firing).sort((a, b) => (a.at < b.at ? -1 : 1));
  // Acknowledged: not repeated. Resolved (by hand, or its recovery went elsewhere): not failing.
  const quiet = await Promise.all(
    firing.map(async (m) => !!m.incident && (await deps.incidents.get(m.appId, m.incident))?.status !== 'open'),
  );
  return firing.filter((_, i) => !quiet[i]);
}

/** The notification as an event of its own, with one delivery per recipient of the notifier: queued and stored as ingest does. */
async function send(deps: FlushDeps, group: StoredGroup, notice: GroupNotice, notifier: Notifier): Promise<void> {
  const view = group.appId === INSTALLATION.id ? undefined : await deps.routing.view(group.appId);
  const app = view?.app ?? INSTALLATION;
  const id = carrierEventId(group.key, notice.seq, notice.startedAt);
  const event: HeraldEvent = groupEventOf(notice, { id, appId: app.id }, app.name, new Date(notice.takenAt));
  const planned = planDeliveries({
    event,
    app,
    notifiers: [notifier],
    recipientsOf,
    alsoNotify: new Set([notifier.id]),
    deliveryId: deliveryIdFor(id),
    now: notice.takenAt,
  });
  await commit(deps, [{ check: { unchanged: false, event }, planned, toSend: planned, resumed: false, now: new Date(notice.takenAt) }]);
}
