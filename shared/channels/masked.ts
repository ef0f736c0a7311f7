import { isDeepStrictEqual } from 'node:util';
import type { FieldIssue } from '../errors.js';

/** What every mask leaves where a secret was: maskUrl, maskSecret, `whsec_****`, `****`. */
const MASK = '****';

/**
 * A target sent back as the API showed it (GET, then PATCH with that body): a value equal to
 * the mask of the current value at the same place is that current value, so a secret is
 * never replaced by its own mask. In a list, an element stands for the one current element
 * whose mask it equals (none, or several alike: it stays as sent, and maskedValue refuses it).
 * `masked` is the channel's maskTarget of `current`.
 */
export function unmasked(sent: unknown, current: unknown, masked: unknown): unknown {
  if (isDeepStrictEqual(sent, masked)) return current;
  if (Array.isArray(sent)) {
    const currents = Array.isArray(current) ? current : [];
    const maskeds = Array.isArray(masked) ? masked : [];
    return sent.map((element) => {
      const matches = currents.filter((_, i) => isDeepStrictEqual(element, maskeds[i]));
      return matches.length === 1 ? matches[0] : element;
    });
  }
  if (isRecord(sent) && isRecord(current)) {
    const inMask = isRecord(masked) ? masked : {};
    return Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, unmasked(v, current[k], inMask[k])]));
  }
  return sent;
}

/** The first string that still holds a mask, with its path under `target`: a masked value that stands for no secret Herald has. */
export function maskedValue(value: unknown, path: string[] = ['target']): FieldIssue | undefined {
  if (typeof value === 'string')
    return value.includes(MASK)
      ? {
          path: path.join('.'),
          message: 'is a masked value (****) that stands for no current one: send the value itself, or leave it out to keep it',
        }
      : undefined;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : isRecord(value) ? Object.entries(value) : [];
  for (const [key, child] of entries) {
    const issue = maskedValue(child, [...path, key]);
    if (issue) return issue;
  }
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
