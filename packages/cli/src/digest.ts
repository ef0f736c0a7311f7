import type { Command } from 'commander';
import type { components } from '@herald/client';
import { UsageError } from './failure.js';
import { secondsOption } from './grouping.js';
import { durationText } from './output.js';

/** A notifier's digest (issue 17), as Herald answers it. */
export type Digest = NonNullable<components['schemas']['Notifier']['digest']>;

/** The --digest-* options of `herald notifiers add|edit`; `digest` is false for --no-digest (edit). */
export interface DigestOptions {
  digestWindow?: string;
  digestSchedule?: string;
  digestTimeZone?: string;
  digestMax?: string;
  /** true: --digest-send-first; false: --no-digest-send-first (edit). */
  digestSendFirst?: boolean;
  digest?: boolean;
}

/** A digest as a merge patch may say it: null removes a field (edit). */
type DigestPatch = { [K in keyof Digest]?: Digest[K] | null };

/**
 * The digest the options ask for: any --digest-* option turns it on, and what they leave out
 * is kept on edit (a merge patch). A window and a schedule replace each other, so on edit the
 * one not given is removed (null); on add nothing is null. --no-digest is null (removes it).
 * Herald checks the bounds and the cron pattern. Undefined when they say nothing of a digest.
 */
export function digestOf(o: DigestOptions, editing: boolean): DigestPatch | null | undefined {
  if (o.digestWindow !== undefined && o.digestSchedule !== undefined)
    throw new UsageError('--digest-window or --digest-schedule, not both');
  if (o.digestWindow !== undefined && o.digestTimeZone !== undefined)
    throw new UsageError('--digest-time-zone is for --digest-schedule (a window has no time zone)');
  const removed = editing ? null : undefined;
  const set: DigestPatch = {
    ...(o.digestWindow !== undefined
      ? { windowSeconds: secondsOption(o.digestWindow, '--digest-window'), schedule: removed, timeZone: removed }
      : {}),
    ...(o.digestSchedule !== undefined ? { schedule: o.digestSchedule, windowSeconds: removed } : {}),
    ...(o.digestTimeZone !== undefined ? { timeZone: o.digestTimeZone } : {}),
    ...(o.digestMax !== undefined ? { maxItems: countOption(o.digestMax, '--digest-max') } : {}),
    ...(o.digestSendFirst === true ? { sendFirst: true } : o.digestSendFirst === false ? { sendFirst: removed } : {}),
  };
  const given = Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined)) as DigestPatch;
  const any = Object.keys(given).length > 0;
  if (o.digest === false) {
    if (any) throw new UsageError('--no-digest, or --digest-*: not both');
    return null;
  }
  return any ? given : undefined;
}

function countOption(value: string, name: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} ${value}: a whole number of events`);
  return Number(value);
}

/** "every 1h, max 50, first at once" or "at 0 9 * * 1-5 Europe/Berlin" (as the options take them); '' without a digest. */
export function digestText(d: Digest | undefined): string {
  if (!d) return '';
  const when =
    d.windowSeconds !== undefined ? `every ${durationText(d.windowSeconds)}` : `at ${d.schedule}${d.timeZone ? ` ${d.timeZone}` : ''}`;
  return [when, d.maxItems !== undefined ? `max ${d.maxItems}` : '', d.sendFirst ? 'first at once' : ''].filter(Boolean).join(', ');
}

/** The --digest-* options, of `notifiers add` and `edit`. */
export const digestOptions = (command: Command): Command =>
  command
    .option('--digest-window <duration>', "tell a window's events in one message: 30m, 1h, 1d (from its first event)")
    .option('--digest-schedule <cron>', "or at each time of a cron pattern: '0 9 * * 1-5' (weekdays at 09:00)")
    .option('--digest-time-zone <zone>', "the schedule's IANA time zone (default: the notifier's, else UTC)")
    .option('--digest-max <n>', 'a window with this many events is sent at once (2..1000)')
    .option('--digest-send-first', "send a window's first event at once, digest the rest");
