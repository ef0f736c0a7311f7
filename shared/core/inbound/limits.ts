import type { Severity } from '../types.js';
/** The longest title and message an event takes (EventInput in shared/schemas/event.ts), in UTF-16 units as zod counts. */
export const EVENT_LIMITS = { title: 500, message: 10_000 } as const;

/** The most an event may weigh as JSON: POST /v1/events' body limit, which an event's stored record is sized for (event-records.ts). */
export const MAX_EVENT_BYTES = 64 * 1024;

/**
 * A tool's text cut to an event's limit, marked with an ellipsis, never between the two
 * halves of a surrogate pair (an emoji cut in half is not valid text).
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Alerts one Alertmanager or Grafana notification may carry: a group of more is refused (400
 * naming `alerts`), not ingested as thousands of events inside one request, all charged to the
 * app's quota at once. Alertmanager's webhook_configs cut a group with `max_alerts`.
 */
export const MAX_ALERTS_PER_NOTIFICATION = 1000;

/** The severity values tools send that Herald knows (Alertmanager's labels, a JSON tool's field), before a source's own mapping. */
export const KNOWN_SEVERITIES: Record<string, Severity> = {
  critical: 'critical',
  error: 'critical',
  page: 'critical',
  high: 'critical',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  info: 'info',
  low: 'info',
  none: 'info',
};
