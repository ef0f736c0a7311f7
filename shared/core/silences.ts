import type { HeraldEvent } from './types.js';

/*
 * Silences (issue 17), with Alertmanager's semantics: a silence holds matchers, each on one
 * field of an event; an event that every matcher of an active silence matches is silenced
 * (recorded `suppressed`, reason `silenced: <id>`, nothing sent). Pure: the store and the
 * API are the services'.
 *
 * Open before this lands: `=~` patterns are users' and run on every event at ingest, where
 * JavaScript's backtracking engine could be made to take seconds (Alertmanager has RE2).
 * Bound them at creation (a ReDoS check such as safe-regex2 or recheck) or match with RE2
 * (re2-wasm, no native build for Lambda); measure both in the bench.
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

/** A regular expression matcher matches the whole value, as Alertmanager's (RE2, anchored). */
const anchored = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`, 'u');

export function matcherMatches(matcher: SilenceMatcher, value: string): boolean {
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return anchored(matcher.value).test(value);
    case '!~':
      return !anchored(matcher.value).test(value);
  }
}

export const isActive = (silence: Silence, now: Date): boolean =>
  Date.parse(silence.startsAt) <= now.getTime() && now.getTime() < Date.parse(silence.expiredAt ?? silence.endsAt);

/** The first active silence, of the event's app or global, whose every matcher matches the event. */
export function silencing(silences: readonly Silence[], event: HeraldEvent, now: Date): Silence | undefined {
  return silences.find(
    (s) =>
      (s.appId === event.appId || s.appId === '*') &&
      isActive(s, now) &&
      s.matchers.every((m) => matcherMatches(m, fieldOf(event, m.field))),
  );
}

/**
 * What is wrong with a silence's matchers, per matcher index, for the API's 400: a field
 * Herald does not know, a pattern that does not compile or is too long, and, as Alertmanager
 * requires, no matcher at all that an empty value fails (such a silence would silence every
 * event).
 */
export function matcherProblems(matchers: readonly SilenceMatcher[]): { index: number | undefined; message: string }[] {
  const problems: { index: number | undefined; message: string }[] = [];
  matchers.forEach((m, index) => {
    if (!(EVENT_FIELDS as readonly string[]).includes(m.field) && !PATH.test(m.field))
      problems.push({ index, message: `field must be one of ${EVENT_FIELDS.join(', ')}, or data.<path> or source.<path>` });
    if (m.op === '=~' || m.op === '!~') {
      if (m.value.length > 256) problems.push({ index, message: 'a pattern is at most 256 characters' });
      else
        try {
          anchored(m.value);
        } catch (err) {
          problems.push({ index, message: `the pattern does not compile: ${(err as Error).message}` });
        }
    }
  });
  if (problems.length === 0 && matchers.every((m) => matcherMatches(m, '')))
    problems.push({
      index: undefined,
      message: 'at least one matcher must not match an empty value: this silence would silence every event',
    });
  return problems;
}
