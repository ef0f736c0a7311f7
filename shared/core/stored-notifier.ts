import { DEFAULT_THROTTLE } from './repeats.js';
import { DEFAULT_NOTIFIER_NAME } from './default-notifier.js';
import { EVERY_CRASH } from './selection.js';
import type { Notifier } from './types.js';

/**
 * A notifier as this version means it, whatever version stored it. Applied on every read
 * (no migration to run, and a notifier written back is simply in the new shape):
 *
 * - `events` stored empty or missing meant every event: it reads `["*"]`;
 * - a notifier stored without `default` was written before the default notifier was marked
 *   (every notifier written since says `default: true` or `false`). The default one is
 *   recognised by its name or by its events (the only ones earlier versions gave it, so a
 *   renamed one is found too); it is marked, leaves out `app_crashed_repeated` (which now
 *   means a mail per crash) and drops the throttle it was given then, the same as today's
 *   default for the failures it mails.
 */
export function asStoredNow(stored: StoredNotifier): Notifier {
  const notifier = { ...stored, events: stored.events?.length ? stored.events : ['*'] };
  if (notifier.default !== undefined) return { ...notifier, default: notifier.default };
  if (!isEarlierDefault(notifier)) return { ...notifier, default: false };
  const { throttle, ...rest } = notifier;
  const sameThrottle = throttle && throttle.limit === DEFAULT_THROTTLE.limit && throttle.windowSeconds === DEFAULT_THROTTLE.windowSeconds;
  return {
    ...rest,
    ...(throttle !== undefined && !sameThrottle ? { throttle } : {}),
    events: notifier.events.filter((e) => e !== EVERY_CRASH),
    default: true,
  };
}

/** A notifier as any version wrote it. */
export type StoredNotifier = Omit<Notifier, 'events' | 'default'> & { events?: string[]; default?: boolean };

/** The default notifier's events as versions up to 82e4cfa wrote them: the welcome and the critical types then. */
const EARLIER_DEFAULT_EVENTS = [
  'app_created',
  'notifier_disabled',
  'app_alert_triggered',
  'app_crashed',
  EVERY_CRASH,
  'database_backup_failed',
  'stack.provision.fail',
  'stack.redeploy.fail',
  'stack.redeploy.hook.fail',
  'server.stopped',
  'job.fail',
  'process.down',
  'container.down',
  'monitor.down',
  'ssl.expiring',
  'heartbeat.missed',
  'agent.stale',
  'exception',
  'server.offline',
];

function isEarlierDefault(n: StoredNotifier & { events: string[] }): boolean {
  if (n.appId === '*' || n.channel !== 'email') return false;
  return (
    n.name === DEFAULT_NOTIFIER_NAME ||
    (n.events.length === EARLIER_DEFAULT_EVENTS.length && n.events.every((e, i) => e === EARLIER_DEFAULT_EVENTS[i]))
  );
}
