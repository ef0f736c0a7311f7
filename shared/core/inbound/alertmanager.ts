import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { issuesOf } from '../../schemas/issues.js';
import type { Severity } from '../types.js';
import { cut, EVENT_LIMITS, KNOWN_SEVERITIES, MAX_ALERTS_PER_NOTIFICATION } from './limits.js';
import { readJson, type Inbound, type InboundEvent, type InboundRequest, type Source } from './inbound.js';

/*
 * Alertmanager's webhook (payload version 4) and Grafana's alerting webhook, which is the
 * same envelope with `state`, `title`, `message` and, per alert, links to its dashboard,
 * panel and silence. Each alert becomes one event:
 *
 *   firing   → alert.firing,   data.status ERROR (critical), WARNING (warning) or UNKNOWN (info)
 *   resolved → alert.resolved, data.status OK
 *
 * with data.check naming the alert (its alertname and fingerprint: the same for its firing
 * and its resolution), so that Herald's state changes tell a resolution only to whoever was
 * told it fired, incidents open and close on it, and a re-sent notification (Alertmanager's
 * repeat_interval) tells nobody again. Its id (the idempotency key) is the alert's
 * fingerprint, status and times: the same notification sent twice is a duplicate.
 */

const Labels = z.record(z.string(), z.string());

const Alert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: Labels,
  annotations: Labels.optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
  // Grafana's
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  valueString: z.string().optional(),
});

const Envelope = z.object({
  version: z.string().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: z.string().optional(),
  groupKey: z.string().optional(),
  externalURL: z.string().optional(),
  alerts: z.array(Alert).max(MAX_ALERTS_PER_NOTIFICATION, {
    error: `at most ${MAX_ALERTS_PER_NOTIFICATION} alerts a notification: cut larger groups with max_alerts in the receiver's webhook_configs`,
  }),
});

type AlertPayload = z.infer<typeof Alert>;

const STATUS_OF: Record<Severity, string> = { critical: 'ERROR', warning: 'WARNING', info: 'UNKNOWN' };

/** Alertmanager's or Grafana's payload as events, one per alert, in the order sent. */
export function alertsInbound(request: InboundRequest, source: Source): Inbound {
  const parsed = Envelope.safeParse(readJson(request));
  if (!parsed.success)
    throw new ValidationError(`Not ${source.kind === 'grafana' ? 'a Grafana' : 'an Alertmanager'} webhook payload`, issuesOf(parsed.error));
  const tool = source.kind === 'grafana' ? 'grafana' : 'alertmanager';
  const { receiver, externalURL, groupKey } = parsed.data;
  return {
    kind: 'events',
    events: parsed.data.alerts.map((alert) =>
      eventOf(alert, source, {
        tool,
        ...(receiver ? { receiver } : {}),
        ...(externalURL ? { externalURL } : {}),
        ...(groupKey ? { groupKey } : {}),
      }),
    ),
  };
}

function eventOf(alert: AlertPayload, source: Source, origin: Record<string, string>): InboundEvent {
  const annotations = alert.annotations ?? {};
  const name = alert.labels['alertname'] ?? annotations['summary'] ?? 'alert';
  const fingerprint = alert.fingerprint ?? labelsHash(alert.labels);
  // The source's own: two clusters' Alertmanagers send the same labels (Watchdog), yet are two alerts.
  const check = `${source.id}/${name}#${fingerprint}`;
  const firing = alert.status === 'firing';
  const severity = firing ? severityOf(alert.labels['severity'], source) : 'info';
  const at = firing ? alert.startsAt : (realTime(alert.endsAt) ?? alert.startsAt);
  const links = [
    ['Dashboard', alert.dashboardURL],
    ['Panel', alert.panelURL],
    ['Silence', alert.silenceURL],
    ['Source', alert.generatorURL],
  ].filter((l): l is [string, string] => !!l[1]);
  const text = annotations['description'] ?? annotations['message'] ?? alert.valueString;
  const message = [text, ...links.map(([what, url]) => `${what}: ${url}`)].filter(Boolean).join('\n');
  const summary = annotations['summary'];
  return {
    type: firing ? 'alert.firing' : 'alert.resolved',
    severity,
    title: cut(summary && summary !== name ? `${name}: ${summary}` : name, EVENT_LIMITS.title),
    ...(message ? { message: cut(message, EVENT_LIMITS.message) } : {}),
    ...(validTime(at) ? { occurredAt: new Date(at as string).toISOString() } : {}),
    id: idOf(source.kind, fingerprint, alert),
    fingerprint: cut(check, 256),
    data: {
      check,
      status: firing ? STATUS_OF[severity] : 'OK',
      alertname: name,
      labels: alert.labels,
      annotations,
      ...(alert.startsAt ? { startsAt: alert.startsAt } : {}),
      ...(realTime(alert.endsAt) ? { endsAt: alert.endsAt } : {}),
      ...Object.fromEntries(links.map(([what, url]) => [`${what.toLowerCase()}URL`, url])),
    },
    source: origin,
  };
}

/** The label's value through the source's mapping (`*`: every other value), then Herald's; unknown or missing: warning. */
function severityOf(label: string | undefined, source: Source): Severity {
  const mapping = source.settings.severities ?? {};
  const value = label?.toLowerCase() ?? '';
  return mapping[label ?? ''] ?? mapping[value] ?? mapping['*'] ?? KNOWN_SEVERITIES[value] ?? 'warning';
}

/** Alertmanager sends `0001-01-01T00:00:00Z` as the end of an alert still firing. */
const realTime = (at: string | undefined): string | undefined => (at && !at.startsWith('0001-') ? at : undefined);
const validTime = (at: string | undefined): boolean => !!realTime(at) && !Number.isNaN(Date.parse(at as string));

/** The alert's label set, when the sender gives no fingerprint: the same labels, the same alert. */
const labelsHash = (labels: Record<string, string>): string =>
  createHash('sha256')
    .update(JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))))
    .digest('hex')
    .slice(0, 16);

/** One notification of one alert: the same when the tool sends it again (a retry, a repeat), another when it fires anew or resolves. */
function idOf(kind: string, fingerprint: string, alert: AlertPayload): string {
  const parts = `${kind}:${fingerprint}:${alert.status}:${alert.startsAt ?? ''}:${realTime(alert.endsAt) ?? ''}`;
  // Printable ASCII of at most 128 characters, whatever the sender's fingerprints are.
  return /^[\x21-\x7e]{1,128}$/.test(parts) ? parts : `${kind}:${createHash('sha256').update(parts).digest('hex')}`;
}
