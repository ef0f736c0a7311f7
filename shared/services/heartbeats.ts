import { DEFAULT_HEARTBEAT, type App } from '../core/types.js';
import { formatDuration } from '../core/duration.js';
import { NotFoundError } from '../errors.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';
import { announce } from './lifecycle.js';

/** The shortest offline threshold an app may set: the watch runs every minute. */
export const MIN_OFFLINE_AFTER_SECONDS = 60;

/**
 * A heartbeat: this server of the app is alive. A server that was offline is back:
 * `server.online` goes out, once per transition (DynamoDB serializes the writes, so only
 * one heartbeat sees the offline state).
 */
export async function recordHeartbeat(deps: HeraldDeps, appId: string, server: string): Promise<void> {
  const view = await deps.routing.view(appId);
  if (!view.app) throw new NotFoundError(`App ${appId}`);
  const now = deps.clock();
  const before = await deps.heartbeats.beat(appId, server, now);
  if (before?.state !== 'offline') return;
  const offlineFor = Math.round((now.getTime() - Date.parse(before.since)) / 1000);
  await announce(deps, appId, {
    type: 'server.online',
    title: `${server} is back online`,
    message: `${server} sends heartbeats again after ${formatDuration(offlineFor)} offline.`,
    data: { server, previousStatus: 'offline', offlineSeconds: offlineFor },
    source: { host: server },
  });
}

/**
 * The heartbeat watch, run every minute: a server silent for longer than its app's
 * threshold is offline: `server.offline` goes out once, or, for an app in autoscaling
 * that asks for it, the server is forgotten.
 */
export async function watchHeartbeats(deps: HeraldDeps, limit = 1000): Promise<{ offline: number; forgotten: number }> {
  const now = deps.clock();
  const silent = await deps.heartbeats.silentSince(new Date(now.getTime() - MIN_OFFLINE_AFTER_SECONDS * 1000), limit);
  const apps = new Map<string, Promise<App | undefined>>();
  let offline = 0;
  let forgotten = 0;
  for (const server of silent) {
    if (!apps.has(server.appId)) apps.set(server.appId, deps.apps.get(server.appId));
    const app = await apps.get(server.appId);
    const settings = app?.heartbeat ?? DEFAULT_HEARTBEAT;
    const silentFor = Math.round((now.getTime() - Date.parse(server.lastSeenAt)) / 1000);
    if (silentFor <= settings.offlineAfterSeconds) continue;
    if (!app || settings.forgetOffline) {
      if (await deps.heartbeats.forget(server)) forgotten++;
      continue;
    }
    if (!(await deps.heartbeats.markOffline(server, now))) continue; // it came back meanwhile
    offline++;
    await announce(deps, server.appId, {
      type: 'server.offline',
      title: `${server.server} is offline`,
      message: `No heartbeat from ${server.server} for ${formatDuration(silentFor)} (the limit is ${formatDuration(settings.offlineAfterSeconds)}).`,
      data: { server: server.server, previousStatus: 'online', lastSeenAt: server.lastSeenAt, silentSeconds: silentFor },
      source: { host: server.server },
    });
  }
  if (offline || forgotten) logger.trace('heartbeat watch', { offline, forgotten });
  return { offline, forgotten };
}

/** An app's servers: online or offline, since when, and when each was last heard from. */
export async function listServers(deps: Pick<HeraldDeps, 'apps' | 'heartbeats'>, appId: string) {
  const app = await deps.apps.get(appId);
  if (!app) throw new NotFoundError(`App ${appId}`);
  return { servers: await deps.heartbeats.list(appId), heartbeat: app.heartbeat ?? DEFAULT_HEARTBEAT };
}
