import { ValidationError } from '../../errors.js';
import { SEVERITIES, type Severity } from '../types.js';
import { cut, EVENT_LIMITS, KNOWN_SEVERITIES } from './limits.js';
import { readJson, type Inbound, type InboundEvent, type InboundRequest, type Source } from './inbound.js';

/*
 * A generic JSON source: any tool that can POST JSON, read through the source's `mapping`
 * of event fields to JSON paths (`$.alert.name`, `$.items[0].id`) or fixed values
 * (`=deploy.done`). A body that is an array is one event per element. `check` and `status`
 * make it a state change (data.check, data.status: only changes are told, a recovery goes
 * to whoever got the failure); `id` is the idempotency key (else the request's
 * Idempotency-Key header, for a body of one event).
 */

export const JSON_FIELDS = ['type', 'title', 'message', 'severity', 'check', 'status', 'id'] as const;

/** A mapping's value: a JSON path from the body's root, or `=` and a fixed text. */
export const MAPPING_VALUE = /^(\$(\.[A-Za-z_$][\w$-]*|\[\d+\]|\["[^"]+"\])*|=.*)$/s;

export function jsonInbound(request: InboundRequest, source: Source): Inbound {
  const body = readJson(request);
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) throw new ValidationError('The body holds no event', [{ path: '(body)', message: 'must not be an empty array' }]);
  if (items.length > 100)
    throw new ValidationError('Too many events in one request', [{ path: '(body)', message: 'must hold at most 100 events' }]);
  const header = request.headers['idempotency-key'];
  return {
    kind: 'events',
    events: items.map((item, i) => eventOf(item, source, Array.isArray(body) ? `[${i}]` : '', items.length === 1 ? header : undefined)),
  };
}

function eventOf(item: unknown, source: Source, at: string, idempotencyKey: string | undefined): InboundEvent {
  const mapping: Partial<Record<(typeof JSON_FIELDS)[number], string>> = source.settings.mapping ?? {};
  const read = (field: (typeof JSON_FIELDS)[number]): string | undefined => {
    const path = mapping[field];
    if (path === undefined) return undefined;
    const value = path.startsWith('=') ? path.slice(1) : valueAt(item, path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object')
      throw new ValidationError('A mapped field is not a value', [
        { path: pathOf(at, path), message: `must be a string, number or boolean for ${field}` },
      ]);
    return String(value);
  };
  const type = read('type');
  if (!type)
    throw new ValidationError('The event has no type', [
      { path: pathOf(at, mapping.type ?? '$'), message: "is required: the source reads the event's type from it" },
    ]);
  // The tool's word for it, read as Alertmanager's severity labels are (error, page, high, low...; else the default).
  const named = read('severity')?.toLowerCase();
  const severity = named === undefined ? undefined : (SEVERITIES as readonly string[]).includes(named) ? named : KNOWN_SEVERITIES[named];
  const check = read('check');
  const status = read('status');
  const id = read('id') ?? idempotencyKey;
  const title = read('title');
  const message = read('message');
  return {
    type,
    ...(severity ? { severity: severity as Severity } : {}),
    ...(title ? { title: cut(title, EVENT_LIMITS.title) } : {}),
    ...(message ? { message: cut(message, EVENT_LIMITS.message) } : {}),
    ...(id ? { id } : {}),
    data: {
      ...(typeof item === 'object' && item !== null && !Array.isArray(item)
        ? { payload: item as Record<string, unknown> }
        : { payload: item as never }),
      ...(check ? { check } : {}),
      ...(status ? { status: status.toUpperCase() } : {}),
    },
    source: { tool: 'json', sourceId: source.id },
  };
}

/** A JSON path as the API names fields (`items[0].kind`), under the element of a body that is an array. */
const pathOf = (at: string, path: string): string => `${at}${path.slice(1)}`.replace(/^\./, '') || '(body)';

/** The value at a JSON path (`$.a.b`, `$.a[0]`, `$["a b"]`), undefined when any step is missing. */
export function valueAt(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const [, name, index, quoted] of path.slice(1).matchAll(/\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["([^"]+)"\]/g)) {
    if (value === null || typeof value !== 'object') return undefined;
    const key = name ?? quoted ?? Number(index);
    value = Object.hasOwn(value as object, key) ? (value as Record<string | number, unknown>)[key] : undefined;
  }
  return value;
}
