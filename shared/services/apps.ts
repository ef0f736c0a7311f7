import { defaultRecipients, followApp, newDefaultNotifier } from '../core/default-notifier.js';
import { deleteSourcesOf } from './sources.js';
import type { Page, PageRequest } from '../core/ports.js';
import { DEFAULT_LIMITS, type ApiKey, type App } from '../core/types.js';
import { erasAfter, shardsFor } from '../core/event-shards.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { generateKey, hashKey, INGEST_KEY_PREFIX, keyDisplayPrefix, newId } from '../ids.js';
import type { z } from '@hono/zod-openapi';
import type { AppCreate, AppPatch } from '../schemas/app.js';
import type { ApiDeps } from './deps.js';
import { announce } from './lifecycle.js';

export interface CreatedKey {
  apiKey: string;
  key: ApiKey;
}

/**
 * Create an app with its first ingest key (shown once) and its default notifier: email to
 * the owner and collaborators for the critical event types and the welcome (`app_created`),
 * which is sent.
 */
export async function createApp(deps: ApiDeps, input: z.infer<typeof AppCreate>): Promise<{ app: App } & CreatedKey> {
  const now = deps.clock().toISOString();
  const app: App = {
    id: input.id,
    name: input.name,
    owner: input.owner,
    ...(input.collaborators?.length ? { collaborators: input.collaborators } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
    ...(input.heartbeat ? { heartbeat: input.heartbeat } : {}),
    ...(input.quietHours ? { quietHours: input.quietHours } : {}),
    ...(input.locale ? { locale: input.locale } : {}),
    ...(input.limits ? { limits: input.limits } : {}),
    createdAt: now,
    updatedAt: now,
  };
  // A new app has no events yet: a big limit spreads its records from the start.
  const count = shardsFor(app.limits?.eventsPerMinute ?? DEFAULT_LIMITS.eventsPerMinute);
  if (count > 1) app.eventShards = [{ since: now, count }];
  const created = newKey(app.id, now);
  const defaultNotifier = newDefaultNotifier(app, newId('ntf'));
  if (!(await deps.apps.create(app, created.key, hashKey(created.apiKey), defaultNotifier))) {
    throw new ConflictError(`An app with id ${app.id} exists already`);
  }
  deps.routing.invalidate(app.id);
  await announce(deps, app.id, {
    type: 'app_created',
    title: `${app.name} is set up in Herald`,
    message: `Herald will tell ${defaultRecipients(app).join(', ')} about critical events of ${app.name}. Add notifiers to route events to more people and places.`,
  });
  return { app, ...created };
}

export async function getApp(deps: Pick<ApiDeps, 'apps'>, appId: string): Promise<App> {
  const app = await deps.apps.get(appId);
  if (!app) throw new NotFoundError(`App ${appId}`);
  return app;
}

export function listApps(deps: ApiDeps, page: PageRequest): Promise<Page<App>> {
  return deps.apps.list(page);
}

export async function updateApp(deps: ApiDeps, appId: string, patch: z.infer<typeof AppPatch>): Promise<App> {
  const app = await getApp(deps, appId);
  const metadata = patch.metadata === null ? {} : { ...app.metadata };
  for (const [k, v] of Object.entries(patch.metadata ?? {})) {
    if (v === null) delete metadata[k];
    else metadata[k] = v;
  }
  const updated: App = {
    ...app,
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.owner?.email !== undefined ? { owner: { email: patch.owner.email } } : {}),
    ...(patch.collaborators ? { collaborators: patch.collaborators } : {}),
    ...(patch.heartbeat ? { heartbeat: patch.heartbeat } : {}),
    ...(patch.quietHours ? { quietHours: patch.quietHours } : {}),
    ...(patch.locale ? { locale: patch.locale } : {}),
    ...(patch.limits ? { limits: { ...app.limits, ...patch.limits } } : {}),
    updatedAt: deps.clock().toISOString(),
  };
  if (patch.limits?.eventsPerMinute !== undefined) {
    const eras = erasAfter(app.eventShards, patch.limits.eventsPerMinute, deps.clock());
    if (eras) updated.eventShards = eras;
  }
  if (patch.collaborators === null || patch.collaborators?.length === 0) delete updated.collaborators;
  if (patch.quietHours === null) delete updated.quietHours;
  if (patch.locale === null) delete updated.locale;
  if (Object.keys(metadata).length) updated.metadata = metadata;
  else delete updated.metadata;
  await deps.apps.update(updated);
  if (patch.owner || patch.collaborators !== undefined) await followOwner(deps, app, updated);
  deps.routing.invalidate(appId);
  return updated;
}

/** The default notifier follows the app's owner and collaborators (default-notifier.ts says how). */
async function followOwner(deps: ApiDeps, before: App, after: App): Promise<void> {
  const { notifiers } = await deps.notifiers.routingView(after.id);
  for (const notifier of notifiers.filter((n) => n.default)) {
    const target = followApp(notifier, before, after);
    if (target) await deps.notifiers.put({ ...notifier, target, updatedAt: after.updatedAt });
  }
}

/** Delete an app, its keys, its sources and its notifiers; `app_deleted` goes out first, to those (and the global ones) that select it. */
export async function deleteApp(deps: ApiDeps, appId: string): Promise<void> {
  const app = await getApp(deps, appId);
  await announce(deps, appId, { type: 'app_deleted', title: `${app.name} was deleted from Herald`, data: { appId } });
  for (const key of await deps.keys.list(appId)) deps.auth.forget(key.id);
  await deleteSourcesOf(deps, appId);
  await deps.silences.deleteAll(appId);
  await deps.incidents.deleteAll(appId);
  // Its contacts and groups go with it (its notifiers, which alone may name them, go too).
  for (const group of await deps.contacts.listGroups(appId)) await deps.contacts.deleteGroup(appId, group.id);
  for (const contact of await deps.contacts.list(appId)) await deps.contacts.delete(appId, contact.id);
  await deps.apps.delete(appId);
  deps.routing.invalidate(appId);
}

export async function createKey(deps: ApiDeps, appId: string): Promise<CreatedKey> {
  await getApp(deps, appId);
  const created = newKey(appId, deps.clock().toISOString());
  await deps.keys.add(created.key, hashKey(created.apiKey));
  return created;
}

export async function listKeys(deps: ApiDeps, appId: string): Promise<ApiKey[]> {
  await getApp(deps, appId);
  return deps.keys.list(appId);
}

export async function revokeKey(deps: ApiDeps, appId: string, keyId: string): Promise<void> {
  if (!(await deps.keys.revoke(appId, keyId, deps.clock().toISOString()))) throw new NotFoundError(`Key ${keyId}`);
  deps.auth.forget(keyId);
}

function newKey(appId: string, createdAt: string): CreatedKey {
  const apiKey = generateKey(INGEST_KEY_PREFIX);
  return { apiKey, key: { id: newId('key'), appId, prefix: keyDisplayPrefix(apiKey), createdAt } };
}
