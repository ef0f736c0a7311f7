import type { FieldIssue } from '../errors.js';

/** How deep a request body may nest. Herald's own bodies need 6; `data` gets the rest. */
export const MAX_JSON_DEPTH = 16;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// C0 controls but tab, LF and CR; DEL; C1 controls.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Refuses what no valid request needs and some code downstream might trip on: nesting
 * deeper than MAX_JSON_DEPTH, keys that name object internals (`__proto__`,
 * `constructor`, `prototype`), and control characters other than tab and line breaks, in
 * keys or strings. Returns the first issue, with its path.
 */
export function checkJsonShape(value: unknown, path: string[] = [], depth = 0): FieldIssue | undefined {
  const at = () => path.join('.') || '(body)';
  if (typeof value === 'string') return CONTROL.test(value) ? { path: at(), message: 'must not contain control characters' } : undefined;
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
