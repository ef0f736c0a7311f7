import { planDeliveries } from '../core/routing.js';
import { toHeraldEvent } from '../core/event.js';
import { INSTALLATION, type Notifier, type ShownDelivery } from '../core/types.js';
import { reachIn } from './reach.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { deliveryIdFor, newId } from '../ids.js';
import type { HeraldDeps } from './deps.js';
import { shown } from './history.js';
import { commit } from './ingest.js';

const POLL_MS = 200;

/**
 * Send a test notification through the real pipeline: an event of type `notifier_test`,
 * one delivery per recipient of this notifier only, queued like any other. With `waitMs`,
 * wait for the first attempt of the first delivery and answer it; undefined on timeout.
 * A global notifier (`appId` `*`) belongs to no app: its test is the installation's.
 */
export async function sendTestNotification(
  deps: Pick<HeraldDeps, 'apps' | 'notifiers' | 'events' | 'deliveries' | 'queue' | 'clock' | 'states' | 'routing'>,
  appId: string,
  notifierId: string,
  waitMs = 0,
): Promise<ShownDelivery | undefined> {
  const [app, notifier] = await Promise.all([
    appId === INSTALLATION.id ? INSTALLATION : deps.apps.get(appId),
    deps.notifiers.get(appId, notifierId),
  ]);
  if (!app) throw new NotFoundError(`App ${appId}`);
  if (!notifier) throw new NotFoundError(`Notifier ${notifierId}`);
  if (notifier.escalation)
    throw new ValidationError('An escalation policy sends through the notifiers its steps name: test those', [
      { path: 'escalation', message: 'a policy has no channel of its own to test' },
    ]);
  const whose = appId === INSTALLATION.id ? `the global notifier "${notifier.name}"` : `the notifier "${notifier.name}" of ${app.name}`;
  const now = deps.clock();
  const event = toHeraldEvent(
    {
      type: 'notifier_test',
      title: 'Test notification from Herald',
      message: `If you read this, ${whose} works.`,
      data: { notifierId },
    },
    { id: newId('evt'), appId },
    now,
  );

  // The test goes to this notifier whatever its selection.
  const target: Notifier = { ...notifier, enabled: true, events: ['notifier_test'], minSeverity: 'info' };
  delete target.exclude;
  const planned = planDeliveries({
    event,
    app,
    notifiers: [target],
    reach: reachIn(await deps.routing.view(appId)),
    // Every channel of its contacts, whatever severity each wants.
    alsoNotify: new Set([target.id]),
    deliveryId: deliveryIdFor(event.id),
    now: now.toISOString(),
  });
  // Queued and stored as ingest does (one not queued for now is left to the sweeper).
  await commit(deps, [{ check: { unchanged: false, event }, planned, toSend: planned, resumed: false, now }]);
  const first = planned[0]?.delivery;
  if (!first || waitMs <= 0) return first ? shown(first) : undefined;
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    const current = await deps.deliveries.get(appId, first.id);
    if (current && (current.attempts?.length ?? 0) > 0) return shown(current);
    if (current && current.status !== 'queued' && current.status !== 'sending') return shown(current);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return undefined;
}
