import { formatDuration } from './duration.js';
import type { HeraldEvent, Severity } from './types.js';

type StatusEvent = Pick<HeraldEvent, 'type' | 'data' | 'source'>;

/**
 * State changes (Appmonitor checks, Monitron monitors, Cloud 66 "backon"): events that say
 * the status of something notify only when that status changes.
 */

export const CHECK_STATUSES = ['OK', 'WARNING', 'ERROR', 'UNKNOWN'] as const;

/** Down/recovery pairs: the type says the status. */
const PAIRS: Record<string, { kind: string; status: string }> = {
  'monitor.down': { kind: 'monitor', status: 'DOWN' },
  'monitor.degraded': { kind: 'monitor', status: 'DEGRADED' },
  'monitor.recovery': { kind: 'monitor', status: 'UP' },
  'server.stopped': { kind: 'server', status: 'DOWN' },
  'server.backon': { kind: 'server', status: 'UP' },
  'job.fail': { kind: 'job', status: 'DOWN' },
  'job.backon': { kind: 'job', status: 'UP' },
};

const HEALTHY = new Set(['OK', 'UP']);

export interface StateOf {
  /** What the status is of: `check:<name>`, `monitor:<target>`, ... */
  key: string;
  status: string;
}

/** The status an event reports, if it reports one: `data.check` and `data.status`, or a down/recovery type. */
export function stateOf(event: StatusEvent): StateOf | undefined {
  const data = event.data ?? {};
  if (typeof data['check'] === 'string' && typeof data['status'] === 'string') {
    return { key: `check:${data['check']}`, status: data['status'].toUpperCase() };
  }
  const pair = PAIRS[event.type];
  if (!pair) return undefined;
  const subject = [data['target'], data['monitor'], data['server'], data['job'], event.source?.['host'], event.source?.['url']].find(
    (v) => typeof v === 'string',
  );
  return { key: `${pair.kind}:${subject ?? '-'}`, status: pair.status };
}

export const isHealthy = (status: string): boolean => HEALTHY.has(status);

const STATUS_SEVERITY: Record<string, Severity> = {
  ERROR: 'critical',
  DOWN: 'critical',
  WARNING: 'warning',
  DEGRADED: 'warning',
  OK: 'info',
  UP: 'info',
};

/** The severity a reported status means (ERROR/DOWN critical, WARNING warning, OK/recovery info), for an event posted without one. */
export function severityOfStatus(event: StatusEvent): Severity | undefined {
  const state = stateOf(event);
  return state && STATUS_SEVERITY[state.status];
}

/**
 * What a status event is about, as people name it: the check, monitor, server or job, and
 * its target (URL, host), e.g. `api-latency (https://api.example.com)`.
 */
export function subjectOf(event: StatusEvent): string | undefined {
  if (!stateOf(event)) return undefined;
  const data = event.data ?? {};
  const source = event.source ?? {};
  const first = (...values: unknown[]) => values.find((v): v is string => typeof v === 'string' && v.length > 0);
  const name = first(data['check'], data['monitor'], data['server'], data['job']);
  const target = first(data['target'], data['url'], data['host'], source['url'], source['host']);
  return name && target && name !== target ? `${name} (${target})` : (name ?? target);
}

/** The event, saying what the status was and for how long. */
export function withPrevious(event: HeraldEvent, previous: { status: string; since: string }, now: Date): HeraldEvent {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(previous.since)) / 1000));
  return {
    ...event,
    message: `${event.message ? `${event.message}\n` : ''}Previously ${previous.status} for ${formatDuration(seconds)}.`,
    data: { ...event.data, previousStatus: previous.status, previousStatusSeconds: seconds },
  };
}
