import { getUnsafeNumberReason, isLosslessNumber, parse, type LosslessNumber } from 'lossless-json';
import type { FieldIssue } from '../errors.js';

/** How deep a request body may nest. Herald's own bodies need 6; `data` gets the rest. */
export const MAX_JSON_DEPTH = 16;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// C0 controls but tab, LF and CR; DEL; C1 controls.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * JSON parsed with each number kept as its source text (lossless-json's LosslessNumber),
 * so that checkJsonShape can tell which numbers JSON.parse would change. A key given twice
 * keeps its last value, as JSON.parse does. Throws SyntaxError (or RangeError, nested too
 * deep for a recursive parser) when the text is not JSON it can read.
 */
export function parseKeepingNumbers(text: string): unknown {
  return parse(text, null, { onDuplicateKey: ({ newValue }) => newValue });
}

const MAYBE_UNSAFE_NUMBER = /\d{16}|\d[eE]/;

/**
 * The body as checkJsonShape needs it: parseKeepingNumbers', or JSON.parse's when nested past
 * what a recursive parser takes (the depth check refuses it). Undefined when it is not JSON:
 * malformed JSON is the validator's to answer.
 */
export function parseForShape(text: string): unknown {
  try {
    // JSON.parse (native, several times faster) changes no number unless one has 16 digits in a
    // row or an exponent: only those can pass 2^53, overflow or underflow. A text with
    // neither, even inside a string, has no number lossless-json would be needed for.
    return MAYBE_UNSAFE_NUMBER.test(text) ? parseKeepingNumbers(text) : JSON.parse(text);
  } catch {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }
}

/**
 * What JavaScript would make of a number, by lossless-json's reason, when it cannot hold it:
 * the value is refused rather than stored changed. A decimal with more digits than a double
 * holds (`truncate_float`) is rounded, as by every JSON parser, and accepted.
 */
const LOST: Record<string, (n: LosslessNumber) => string> = {
  truncate_integer: (n) => `is an integer beyond 2^53 that JavaScript would change to ${Number(n.value)}`,
  overflow: () => 'is too large for a JavaScript number (it would become Infinity)',
  underflow: () => 'is too small for a JavaScript number (it would become 0)',
};

/**
 * Refuses what no valid request needs and some code downstream might trip on: nesting
 * deeper than MAX_JSON_DEPTH, keys that name object internals (`__proto__`,
 * `constructor`, `prototype`), control characters other than tab and line breaks, in
 * keys or strings, and numbers JavaScript cannot hold exactly (given as LosslessNumber,
 * by parseKeepingNumbers). Returns the first issue, with its path.
 */
export function checkJsonShape(value: unknown, path: string[] = [], depth = 0): FieldIssue | undefined {
  const at = () => path.join('.') || '(body)';
  if (typeof value === 'string') return CONTROL.test(value) ? { path: at(), message: 'must not contain control characters' } : undefined;
  if (isLosslessNumber(value)) {
    const lost = LOST[getUnsafeNumberReason(value.value) ?? ''];
    return lost ? { path: at(), message: `${lost(value)}: send it as a string` } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_JSON_DEPTH) return { path: at(), message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, child] of entries) {
    if (FORBIDDEN_KEYS.has(key)) return { path: [...path, key].join('.'), message: 'is a reserved name' };
    if (CONTROL.test(key)) return { path: [...path, key].join('.'), message: 'a key must not contain control characters' };
    const issue = checkJsonShape(child, [...path, key], depth + 1);
    if (issue) return issue;
  }
  return undefined;
}
