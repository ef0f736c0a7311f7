import { describeEventType, HERALD_EVENT_TYPES } from './catalog.js';
import type { HeraldEvent, Notifier, Severity } from './types.js';
import { familyOf, SEVERITIES } from './types.js';

/**
 * Scalingo's "sent on each crash": a notifier that names this type gets every `app_crashed`,
 * unthrottled. Only its exact name asks for that: `*`, globs and `@crash` do not.
 */
export const EVERY_CRASH = 'app_crashed_repeated';

/** How a notifier selects an event: through its `events`, or every crash (`app_crashed_repeated`). */
export type Selection = 'selected' | 'every-crash';

/** Does this notifier want this event? See `selectionOf`. */
export function wantsEvent(notifier: Notifier, event: HeraldEvent): boolean {
  return selectionOf(notifier, event) !== undefined;
}

/**
 * Whether and how a notifier wants an event. `events` entries are `*` (the app's own
 * events), an exact type, a glob (`monitor.*`, `app_*`) or a category (`@deployment`);
 * `exclude` takes the same selectors and wins. The event's severity must reach
 * `minSeverity`. Herald's own events (`app_created`, `notifier_edited`...) are not the
 * app's: `*` never selects them, and a call or text (the sms family, which costs money and
 * wakes people) is sent for them only when it names the type exactly. A notifier is not
 * told of its own creation.
 */
export function selectionOf(notifier: Notifier, event: HeraldEvent): Selection | undefined {
  if (!notifier.enabled) return undefined;
  if (!reaches(event.severity, notifier.minSeverity)) return undefined;
  if (event.type === 'notifier_added' && event.data?.['notifierId'] === notifier.id) return undefined;
  const { category } = describeEventType(event.type);
  if (notifier.exclude?.some((entry) => entryMatches(entry, event.type, category))) return undefined;
  if (event.type === 'app_crashed' && notifier.events.includes(EVERY_CRASH)) return 'every-crash';
  const costly = !!notifier.channel && familyOf(notifier.channel) === 'sms';
  return notifier.events.some((entry) => selects(entry, event.type, category, costly)) ? 'selected' : undefined;
}

export function reaches(severity: Severity, min: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(min);
}

/** An `events` entry: an exact name always selects; the rest with the limits above. */
function selects(entry: string, type: string, category: string, costly: boolean): boolean {
  if (entry === type) return true;
  if (type === EVERY_CRASH) return false;
  if (HERALD_EVENT_TYPES.has(type) && (entry === '*' || costly)) return false;
  return entryMatches(entry, type, category);
}

function entryMatches(entry: string, type: string, category: string): boolean {
  if (entry === '*') return true;
  if (entry.startsWith('@')) return entry.slice(1) === category;
  if (entry.includes('*')) return globToRegExp(entry).test(type);
  return entry === type;
}

const globCache = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`);
    globCache.set(glob, re);
  }
  return re;
}
