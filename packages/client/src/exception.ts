import type { components } from './schema.js';

/**
 * The `exception` event of an error, as PM2's `io.notifyError` makes it: grouped by a
 * fingerprint of the error's type and its top stack frame (so that Herald's repeat throttle,
 * PM2's "bad behavior", counts one problem however its message varies), with the stack and
 * the request's context in `data`, and secrets taken out before anything leaves the process.
 */

export type EventInput = components['schemas']['EventInput'];

export interface ErrorContext {
  /** The request that failed. Headers, query and body are kept with their secrets redacted. */
  http?: { url?: string; method?: string; status?: number; headers?: Record<string, unknown>; [field: string]: unknown };
  /** Anything else worth knowing (a user id, a job name...): redacted the same way. */
  custom?: Record<string, unknown>;
  /** The event's severity: default the catalog's (critical). */
  severity?: EventInput['severity'];
}

/** Fields whose values never leave the process. */
const SECRET = /authori[sz]ation|cookie|passw(or)?d|passwd|secret|token|api[-_]?key|credential|session/i;
const REDACTED = '[redacted]';
const MAX_STACK_CHARS = 8_000;
const MAX_DEPTH = 8;

/**
 * A terminal's colour and cursor codes (ESC [ ... m and the like, as coloured stderr puts them
 * in a child process's error), and what Herald refuses in a body, whose report would be lost:
 * C0 controls but tab, LF and CR; DEL; C1 controls.
 */
const UNREADABLE = /\u001b\[[0-?]*[ -/]*[@-~]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

export function exceptionEvent(error: unknown, context: ErrorContext = {}): EventInput {
  return readable(exceptionEventAsIs(error, context)) as EventInput;
}

function exceptionEventAsIs(error: unknown, context: ErrorContext): EventInput {
  const err = asError(error);
  const frame = topFrame(err.stack);
  const name = err.name || 'Error';
  const data: Record<string, unknown> = { name, message: err.message };
  if (err.stack) data['stack'] = err.stack.slice(0, MAX_STACK_CHARS);
  if (context.http) data['http'] = redact({ ...context.http, ...(context.http.url ? { url: redactUrl(context.http.url) } : {}) });
  if (context.custom) data['custom'] = redact(context.custom);
  return {
    type: 'exception',
    title: `${name}: ${err.message}`.slice(0, 500),
    message: [context.http?.method, context.http?.url && redactUrl(context.http.url), frame && `at ${frame}`]
      .filter(Boolean)
      .join(' ')
      .slice(0, 10_000),
    fingerprint: `${name}@${frame ?? err.message}`.slice(0, 256),
    data,
    occurredAt: new Date().toISOString(),
    ...(context.severity ? { severity: context.severity } : {}),
  };
}

/**
 * The event without terminal codes and control characters, in its strings and its keys:
 * Herald refuses a body with a control character (400), and an error report must not be lost
 * for the colours of an error message (execa's, a child process's stderr, a coloured logger).
 */
function readable(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UNREADABLE, '');
  if (Array.isArray(value)) return value.map(readable);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [readable(k) as string, readable(v)]));
  return value;
}

/** Anything thrown, as an Error (a thrown string or object becomes the message). */
function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  const error = new Error(typeof thrown === 'string' ? thrown : safeJson(thrown));
  error.name = 'NonError';
  return error;
}

/** Where it was thrown: the first "at ..." line of a V8 stack (or the first frame of a Firefox/Safari one). */
export function topFrame(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n')) {
    const v8 = /^\s+at (.+)$/.exec(line);
    if (v8) return v8[1]?.trim();
    if (/^[^\s].*@.+:\d+:\d+$/.test(line)) return line.trim();
  }
  return undefined;
}

/** A copy with the values of secret-looking fields replaced, at any depth (cycles and depth cut). */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return '[cut]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET.test(k) ? REDACTED : redact(v, depth + 1, seen)]));
}

/** A URL with its secret-looking query parameters and any user:password redacted. */
export function redactUrl(url: string): string {
  const [path, query] = url.split('?', 2) as [string, string | undefined];
  const bare = path.replace(/\/\/[^/@]+@/, '//[redacted]@');
  if (!query) return bare;
  const params = query.split('&').map((pair) => {
    const [k = '', v] = pair.split('=', 2);
    return v !== undefined && SECRET.test(decodeURIComponentSafe(k)) ? `${k}=${REDACTED}` : pair;
  });
  return `${bare}?${params.join('&')}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
