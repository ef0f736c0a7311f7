import { createHash } from 'node:crypto';
import type { HeraldEvent } from './types.js';

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

/** What groups repeats: the event's fingerprint, else its type and a hash of its message. */
export function fingerprintOf(event: Pick<HeraldEvent, 'fingerprint' | 'type' | 'message' | 'title'>): string {
  if (event.fingerprint) return event.fingerprint;
  const text = `${event.title ?? ''}\n${event.message ?? ''}`;
  return `${event.type}:${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
}

export type RepeatDecision = { send: true; badBehavior?: number } | { send: false; reason: string };

/**
 * The `count`th event of a fingerprint in the window: the first goes out; 2 to limit are
 * suppressed; limit+1 goes out once as "bad behavior" saying how many; the rest of the
 * window is quiet, however long the burst.
 */
export function throttleDecision(count: number, settings: ThrottleSettings): RepeatDecision {
  if (count === 1) return { send: true };
  if (count === settings.limit + 1) return { send: true, badBehavior: count };
  return { send: false, reason: `throttled: repeat ${count} within ${settings.windowSeconds} s` };
}

export function occurrenceDecision(count: number, settings: OccurrenceSettings): RepeatDecision {
  return settings.on.includes(count)
    ? { send: true }
    : { send: false, reason: `occurrence ${count} within ${settings.windowSeconds} s (told on ${settings.on.join(', ')})` };
}

/** The event as a "bad behavior" notification says it. */
export function asBadBehavior(event: HeraldEvent, count: number, settings: ThrottleSettings): HeraldEvent {
  return {
    ...event,
    type: 'bad_behavior',
    severity: event.severity === 'info' ? 'warning' : event.severity,
    title: `${event.title ?? event.type} happened ${count} times in ${settings.windowSeconds} s`,
    message: `${event.message ? `${event.message}\n\n` : ''}The same problem (${event.type}) keeps coming: Herald holds further repeats for the rest of the window.`,
    data: { ...event.data, originalType: event.type, repeats: count, windowSeconds: settings.windowSeconds },
  };
}
