/**
 * Quiet hours (Appmonitor's sleep time): weekly windows in an IANA time zone during which a
 * notifier is not to be disturbed. Pure: time zones through Intl, no clock.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface QuietWindow {
  /** The days the window starts on. */
  days: Weekday[];
  /** Local time `HH:MM`; a window whose end is not after its start runs past midnight. */
  from: string;
  to: string;
}

export interface QuietHours {
  timeZone: string;
  windows: QuietWindow[];
  /** In a window: `suppress` the delivery, or `hold` it and send it when the window ends. */
  during: 'suppress' | 'hold';
  /** Critical events go out at once all the same. */
  criticalBypass: boolean;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The weekday and minute of the day at `at`, in the time zone. */
export function localTime(at: Date, timeZone: string): { day: number; minute: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const day = WEEKDAYS.indexOf(String(parts['weekday']).toLowerCase().slice(0, 3) as Weekday);
  return { day, minute: Number(parts['hour']) * 60 + Number(parts['minute']) };
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Minutes from the local time until the end of the window it is in, or undefined. */
function minutesLeft(window: QuietWindow, day: number, minute: number): number | undefined {
  const from = minutesOf(window.from);
  const to = minutesOf(window.to);
  const startsOn = (d: number) => window.days.includes(WEEKDAYS[(d + 7) % 7] as Weekday);
  if (from < to) return startsOn(day) && minute >= from && minute < to ? to - minute : undefined;
  // Past midnight (or a whole day when from = to): started today, or yesterday.
  if (startsOn(day) && minute >= from) return 24 * 60 - minute + to;
  if (startsOn(day - 1) && minute < to) return to - minute;
  return undefined;
}

/**
 * When the quiet time that `at` falls in ends (windows that follow one another count as
 * one), or undefined when `at` is not quiet.
 */
export function quietUntil(quiet: QuietHours, at: Date): Date | undefined {
  let end: Date | undefined;
  let probe = at;
  for (let i = 0; i < 14; i++) {
    const { day, minute } = localTime(probe, quiet.timeZone);
    const left = Math.max(...quiet.windows.map((w) => minutesLeft(w, day, minute) ?? 0));
    if (left <= 0) break;
    end = new Date(Math.floor(probe.getTime() / 60_000) * 60_000 + left * 60_000);
    probe = end;
  }
  return end;
}

export type QuietDecision = { status: 'suppressed'; reason: string } | { status: 'held'; until: Date; reason: string };

/** What quiet hours make of a delivery created at `at` for an event of this severity; undefined: send it. */
export function quietDecision(quiet: QuietHours | undefined, critical: boolean, at: Date): QuietDecision | undefined {
  if (!quiet || (critical && quiet.criticalBypass)) return undefined;
  const until = quietUntil(quiet, at);
  if (!until) return undefined;
  return quiet.during === 'hold'
    ? { status: 'held', until, reason: `held by quiet hours until ${until.toISOString()}` }
    : { status: 'suppressed', reason: `quiet hours (until ${until.toISOString()})` };
}
