import { createHash } from 'node:crypto';
import type { HeraldEvent, Notifier } from './types.js';

/**
 * Repeats of the same problem (PM2's "bad behavior") and chosen occurrences of a type
 * (Scalingo's crash counts). Pure decisions on a count kept elsewhere.
 */

export interface ThrottleSettings {
  /** Repeats allowed through in a window: the first is sent, 2..limit suppressed, limit+1 says how many. */
  limit: number;
  windowSeconds: number;
}

export interface OccurrenceSettings {
  /** Which occurrences of a type within the window are notified, e.g. [2, 5, 12]. */
  on: number[];
  windowSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = { limit: 5, windowSeconds: 60 };

/** What a state key names: the check, monitored target, server or job an event is about. */
const STATE_KEYS = ['check', 'target', 'server', 'job'] as const;

/**
 * What groups repeats: the event's fingerprint, else its type with a hash of its title,
 * message and state key (`data.check`, `data.target`, `data.server`, `data.job`), so that
 * two checks failing with the same words are two problems, not one repeated.
 */
export function fingerprintOf(event: Pick<HeraldEvent, 'fingerprint' | 'type' | 'message' | 'title' | 'data'>): string {
  if (event.fingerprint) return event.fingerprint;
  const state = STATE_KEYS.map((k) => JSON.stringify(event.data?.[k] ?? null));
  const text = [event.title ?? '', event.message ?? '', ...state].join('\n');
  return `${event.type}:${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
}

/**
 * The throttle a notifier applies to an event (PM2's bad behavior is the default for
 * failures): its own settings for every event when it has some; none when it says
 * `"throttle": false` or counts `occurrences`; else the default, for warning and critical
 * events only (a deploy is news each time). None means nothing is counted.
 */
export function throttleFor(
  notifier: Pick<Notifier, 'throttle' | 'occurrences'>,
  event: Pick<HeraldEvent, 'severity'>,
): ThrottleSettings | undefined {
  if (notifier.throttle === false) return undefined;
  if (notifier.throttle) return { ...DEFAULT_THROTTLE, ...notifier.throttle };
  if (notifier.occurrences || event.severity === 'info') return undefined;
  return DEFAULT_THROTTLE;
}

/** A "bad behavior" notification: how many repeats came in how long. */
export interface BadBehavior {
  count: number;
  windowSeconds: number;
}

export type RepeatDecision = { send: true; badBehavior?: BadBehavior } | { send: false; reason: string };

/**
 * The `count`th event of a fingerprint in the window: the first goes out; 2 to limit are
 * suppressed; limit+1 goes out once as "bad behavior" saying how many; the rest of the
 * window is quiet, however long the burst.
 */
export function throttleDecision(count: number, settings: ThrottleSettings): RepeatDecision {
  if (count === 1) return { send: true };
  if (count === settings.limit + 1) return { send: true, badBehavior: { count, windowSeconds: settings.windowSeconds } };
  return { send: false, reason: `throttled: repeat ${count} within ${settings.windowSeconds} s` };
}

export function occurrenceDecision(count: number, settings: OccurrenceSettings): RepeatDecision {
  return settings.on.includes(count)
    ? { send: true }
    : { send: false, reason: `occurrence ${count} within ${settings.windowSeconds} s (told on ${settings.on.join(', ')})` };
}

/** The event as a "bad behavior" notification says it. */
export function asBadBehavior(event: HeraldEvent, { count, windowSeconds }: BadBehavior): HeraldEvent {
  return {
    ...event,
    type: 'bad_behavior',
    severity: event.severity === 'info' ? 'warning' : event.severity,
    title: `${event.title ?? event.type} happened ${count} times in ${windowSeconds} s`,
    message: `${event.message ? `${event.message}\n\n` : ''}The same problem (${event.type}) keeps coming: Herald holds further repeats for the rest of the window.`,
    data: { ...event.data, originalType: event.type, repeats: count, windowSeconds },
  };
}
