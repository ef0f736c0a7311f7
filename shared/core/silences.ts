import type { HeraldEvent } from './types.js';

/*
 * Silences (issue 17), with Alertmanager's semantics: a silence holds matchers, each on one
 * field of an event; an event that every matcher of an active silence matches is silenced
 * (recorded `suppressed`, reason `silenced: <id>`, nothing sent). Pure: the store and the
 * API are the services'.
 *
 * Patterns (`=~`, `!~`) are users' and run on every event at ingest: they are RE2's, as
 * Alertmanager's, in linear time whatever the pattern and the value (JavaScript's
 * backtracking engine could be made to take minutes by `(.*a){12}` on a long message), and
 * compiled by the services (shared/services/silence-patterns.ts), given here as Patterns.
 */

export const MATCHER_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatcherOp = (typeof MATCHER_OPS)[number];

export interface SilenceMatcher {
  /** An event field (`type`, `severity`, `title`, `message`, `fingerprint`, `check`, `status`) or `data.<path>` / `source.<path>`. */
  field: string;
  op: MatcherOp;
  value: string;
}

export interface Silence {
  id: string;
  /** The app it silences, or `*` for every app (a global silence). */
  appId: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  comment: string;
  createdBy: string;
  createdAt: string;
  /** Set when it was expired early (DELETE): it silences nothing from then on. */
  expiredAt?: string;
  /** How many events it has silenced (counted by each ingest instance, told every few seconds). */
  silenced?: number;
}

/** The fields a matcher may name besides `data.<path>` and `source.<path>`. */
export const EVENT_FIELDS = ['type', 'severity', 'title', 'message', 'fingerprint', 'check', 'status'] as const;

const PATH = /^(data|source)(\.[A-Za-z0-9_-]+)+$/;

/** The text a matcher compares: the field's value, `''` when the event has none (as Alertmanager treats a missing label). */
export function fieldOf(
  event: Pick<HeraldEvent, 'type' | 'severity' | 'title' | 'message' | 'fingerprint' | 'data' | 'source'>,
  field: string,
): string {
  let value: unknown;
  if (field === 'check' || field === 'status') value = event.data?.[field];
  else if ((EVENT_FIELDS as readonly string[]).includes(field)) value = event[field as keyof typeof event];
  else if (PATH.test(field)) {
    const [root, ...path] = field.split('.');
    value = path.reduce<unknown>(
      (v, key) => (v !== null && typeof v === 'object' && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined),
      root === 'data' ? event.data : event.source,
    );
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

/** A compiled pattern, matching the whole value (anchored), as Alertmanager's. */
export interface Pattern {
  test(value: string): boolean;
}
/** Compiles a matcher's pattern; throws when it does not compile. */
export type PatternCompiler = (pattern: string) => Pattern;
/** The compiled patterns of some silences, by their text. */
export type Patterns = ReadonlyMap<string, Pattern>;

/** The patterns of these silences' matchers (`=~`, `!~`). */
export const patternTexts = (silences: readonly Pick<Silence, 'matchers'>[]): string[] => [
  ...new Set(silences.flatMap((s) => s.matchers.filter((m) => m.op === '=~' || m.op === '!~').map((m) => m.value))),
];

/** Whether the matcher matches the value; a pattern missing from `patterns` matches nothing, so its silence silences nothing. */
export function matcherMatches(matcher: SilenceMatcher, value: string, patterns: Patterns): boolean {
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return patterns.get(matcher.value)?.test(value) ?? false;
    case '!~': {
      const pattern = patterns.get(matcher.value);
      return pattern ? !pattern.test(value) : false;
    }
  }
}

export const isActive = (silence: Silence, now: Date): boolean =>
  Date.parse(silence.startsAt) <= now.getTime() && now.getTime() < Date.parse(silence.expiredAt ?? silence.endsAt);

/** The first active silence, of the event's app or global, whose every matcher matches the event. */
export function silencing(
  silences: readonly Silence[],
  event: HeraldEvent,
  now: Date,
  patterns: Patterns = new Map(),
): Silence | undefined {
  return silences.find((s) => (s.appId === event.appId || s.appId === '*') && isActive(s, now) && matchesAll(s.matchers, event, patterns));
}

/** Whether every matcher matches the event, whatever the time (a silence's preview). */
export const matchesAll = (matchers: readonly SilenceMatcher[], event: HeraldEvent, patterns: Patterns): boolean =>
  matchers.every((m) => matcherMatches(m, fieldOf(event, m.field), patterns));

/**
 * What is wrong with a silence's matchers, per matcher index, for the API's 400: a field
 * Herald does not know, a pattern that does not compile or is too long, and, as Alertmanager
 * requires, no matcher at all that an empty value fails (such a silence would silence every
 * event).
 */
export function matcherProblems(
  matchers: readonly SilenceMatcher[],
  compile: PatternCompiler,
): { index: number | undefined; message: string }[] {
  const problems: { index: number | undefined; message: string }[] = [];
  const patterns = new Map<string, Pattern>();
  matchers.forEach((m, index) => {
    if (!(EVENT_FIELDS as readonly string[]).includes(m.field) && !PATH.test(m.field))
      problems.push({ index, message: `field must be one of ${EVENT_FIELDS.join(', ')}, or data.<path> or source.<path>` });
    if (m.op === '=~' || m.op === '!~') {
      if (m.value.length > 256) problems.push({ index, message: 'a pattern is at most 256 characters' });
      else
        try {
          patterns.set(m.value, compile(m.value));
        } catch (err) {
          problems.push({ index, message: `the pattern does not compile (RE2 syntax, as Alertmanager's): ${(err as Error).message}` });
        }
    }
  });
  if (problems.length === 0 && matchers.every((m) => matcherMatches(m, '', patterns)))
    problems.push({
      index: undefined,
      message: 'at least one matcher must not match an empty value: this silence would silence every event',
    });
  return problems;
}
