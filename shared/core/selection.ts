import { describeEventType } from './catalog.js';
import type { HeraldEvent, Notifier, Severity } from './types.js';
import { SEVERITIES } from './types.js';

/**
 * Does this notifier want this event? `events` entries are `*`, an exact type, a glob
 * (`monitor.*`, `app_*`) or a category (`@deployment`); none means every event. `exclude`
 * takes the same selectors and wins. The event's severity must reach `minSeverity`. A
 * notifier is not told of its own creation.
 */
export function wantsEvent(notifier: Notifier, event: HeraldEvent): boolean {
  if (!notifier.enabled) return false;
  if (!reaches(event.severity, notifier.minSeverity)) return false;
  if (event.type === 'notifier_added' && event.data?.['notifierId'] === notifier.id) return false;
  const category = describeEventType(event.type).category;
  if (notifier.exclude?.some((entry) => entryMatches(entry, event.type, category))) return false;
  if (notifier.events.length === 0) return true;
  return notifier.events.some((entry) => entryMatches(entry, event.type, category));
}

export function reaches(severity: Severity, min: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(min);
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
