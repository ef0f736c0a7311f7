/** What the notifier form sends: a create body, or a merge patch of what changed. */

export type Form = Record<string, any>;

export const EDITABLE = [
  'name',
  'channel',
  'target',
  'events',
  'exclude',
  'minSeverity',
  'enabled',
  'locale',
  'timeZone',
  'quietHours',
  'throttle',
  'occurrences',
  'grouping',
  'digest',
  'templates',
  'contacts',
  'groups',
  'escalation',
  'failover',
  'rate',
];

/** Lists that a notifier either has with something in them, or not at all (an empty one is left out). */
const NON_EMPTY = ['exclude', 'contacts', 'groups'];

/** The form as a create body: fields left empty are not sent. */
export function compact(form: Form): Form {
  return Object.fromEntries(
    Object.entries(form).filter(([k, v]) => EDITABLE.includes(k) && v !== null && v !== undefined && !(Array.isArray(v) && !v.length)),
  );
}

/** A merge patch of what changed: a field cleared is null, and only the target's fields typed in (masked secrets are kept). */
export function changes(before: Form, after: Form): Form {
  const patch: Form = {};
  for (const k of EDITABLE) {
    const a = after[k] === undefined || (Array.isArray(after[k]) && !after[k].length && NON_EMPTY.includes(k)) ? null : after[k];
    if (JSON.stringify(before[k] ?? null) === JSON.stringify(a)) continue;
    // A notifier turned from a channel to contacts (or back) gets its whole new target, or none.
    const switched = (before['channel'] ?? null) !== (after['channel'] ?? null);
    if (k === 'channel' || (k === 'target' && switched)) patch[k] = a;
    else if (k === 'target') {
      const target = Object.fromEntries(
        Object.entries(after['target'] ?? {}).filter(([t, v]) => JSON.stringify(before['target']?.[t]) !== JSON.stringify(v)),
      );
      if (Object.keys(target).length) patch['target'] = target;
    } else patch[k] = replacing(before[k], a);
  }
  return patch;
}

const isObject = (v: unknown): v is Form => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A merge patch that makes `before` into `after`: the whole of `after`, and null for what it
 * no longer has (a digest turned from a window into a schedule drops its windowSeconds; merged
 * with the old one it would have both).
 */
function replacing(before: unknown, after: unknown): unknown {
  if (!isObject(before) || !isObject(after)) return after;
  const patch: Form = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, replacing(before[k], v)]));
  for (const k of Object.keys(before)) if (!(k in after)) patch[k] = null;
  return patch;
}
