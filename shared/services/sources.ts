import { timingSafeEqual } from 'node:crypto';
import type { SourceSecret, StoredSource } from '../core/ports.js';
import type { Source, SourceKind, SourceSettings } from '../core/inbound/inbound.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { generateKey, hashKey, newId, SOURCE_SECRET_PREFIX } from '../ids.js';
import type { ApiDeps } from './deps.js';
import { getApp } from './apps.js';

/**
 * An app's inbound sources: the tools that post their own payloads to Herald
 * (`POST /v1/inbound/{sourceId}`, services/inbound.ts). Created, listed, shown, rotated and
 * deleted like keys: the secret is shown once, at creation and at each rotation.
 */

/** How a source's requests are authenticated: a bearer token (or basic auth's password), an HMAC key, or the sender's own signature (SNS). */
export const SECRET_OF: Record<SourceKind, 'token' | 'hmac' | 'none'> = {
  alertmanager: 'token',
  grafana: 'token',
  json: 'token',
  github: 'hmac',
  sns: 'none',
};

/** How long the previous secret is still taken after a rotation: time to paste the new one into the tool. */
export const PREVIOUS_SECRET_HOURS = 24;

/** A source as the API shows it: its inbound URL, never its secret. */
export interface ShownSource extends Source {
  url: string;
  /** After a rotation: until when the previous secret is still taken. */
  previousSecretUntil?: string;
}

export interface CreatedSource {
  source: ShownSource;
  /** Shown once: the bearer token (Alertmanager, Grafana, JSON) or the HMAC key (GitHub); absent for SNS. */
  secret?: string;
}

export interface SourceInput {
  kind: SourceKind;
  name: string;
  settings?: SourceSettings;
}

/** `base` is the API's public origin (the request's), which the inbound URL is under. */
export async function createSource(deps: ApiDeps, appId: string, input: SourceInput, base: string): Promise<CreatedSource> {
  await getApp(deps, appId);
  const source: Source = {
    id: newId('src'),
    appId,
    kind: input.kind,
    name: input.name,
    createdAt: deps.clock().toISOString(),
    settings: input.settings ?? {},
  };
  const { secret, stored } = newSecret(source.kind);
  await deps.sources.put({ ...source, ...(stored ? { secret: stored } : {}) });
  return { source: shown({ ...source }, base), ...(secret ? { secret } : {}) };
}

export async function listSources(deps: ApiDeps, appId: string, base: string): Promise<ShownSource[]> {
  await getApp(deps, appId);
  return (await deps.sources.list(appId)).map((s) => shown(s, base));
}

export async function getSource(deps: ApiDeps, appId: string, sourceId: string, base: string): Promise<ShownSource> {
  return shown(await stored(deps, appId, sourceId), base);
}

/** A new secret; the previous one is still taken for PREVIOUS_SECRET_HOURS. SNS sources have none. */
export async function rotateSourceSecret(deps: ApiDeps, appId: string, sourceId: string, base: string): Promise<CreatedSource> {
  const source = await stored(deps, appId, sourceId);
  const { secret, stored: next } = newSecret(source.kind);
  if (!secret || !next) return { source: shown(source, base) };
  const until = new Date(deps.clock().getTime() + PREVIOUS_SECRET_HOURS * 3_600_000).toISOString();
  const { previous: _older, ...current } = source.secret ?? {};
  const rotated: StoredSource = {
    ...source,
    secret: { ...next, ...(Object.keys(current).length ? { previous: { ...current, until } } : {}) },
  };
  // Deleted, or rotated by another request, since it was read: that one stands.
  if (!(await deps.sources.replaceSecret(source, rotated))) {
    if (!(await deps.sources.get(sourceId))) throw new NotFoundError(`Source ${sourceId}`);
    throw new ConflictError(`The secret of source ${sourceId} was rotated by another request meanwhile: its answer has the secret`);
  }
  return { source: shown(rotated, base), secret };
}

export async function deleteSource(deps: ApiDeps, appId: string, sourceId: string): Promise<void> {
  if (!(await deps.sources.delete(appId, sourceId))) throw new NotFoundError(`Source ${sourceId}`);
}

/** The app's sources go with it (deleteApp). */
export async function deleteSourcesOf(deps: Pick<ApiDeps, 'sources'>, appId: string): Promise<void> {
  for (const source of await deps.sources.list(appId)) await deps.sources.delete(appId, source.id);
}

async function stored(deps: ApiDeps, appId: string, sourceId: string): Promise<StoredSource> {
  const source = await deps.sources.get(sourceId);
  if (!source || source.appId !== appId) throw new NotFoundError(`Source ${sourceId}`);
  return source;
}

function shown(source: StoredSource, base: string): ShownSource {
  const { secret, ...rest } = source;
  return {
    ...rest,
    url: `${base.replace(/\/$/, '')}/v1/inbound/${source.id}`,
    ...(secret?.previous ? { previousSecretUntil: secret.previous.until } : {}),
  };
}

function newSecret(kind: SourceKind): { secret?: string; stored?: SourceSecret } {
  const how = SECRET_OF[kind];
  if (how === 'none') return {};
  const secret = generateKey(SOURCE_SECRET_PREFIX);
  return { secret, stored: how === 'token' ? { hash: hashKey(secret) } : { key: secret } };
}

/** Whether a presented token is the source's (or its previous one, before `until`), compared in constant time. */
export function tokenMatches(secret: SourceSecret | undefined, presented: string, now: Date): boolean {
  const hash = Buffer.from(hashKey(presented), 'hex');
  const same = (stored: string | undefined) => !!stored && timingSafeEqual(Buffer.from(stored, 'hex'), hash);
  return same(secret?.hash) || (!!secret?.previous && new Date(secret.previous.until) > now && same(secret.previous.hash));
}

/** The HMAC keys a signature may be made with: the current one, and the previous one before its `until`. */
export function hmacKeys(secret: SourceSecret | undefined, now: Date): string[] {
  const keys = secret?.key ? [secret.key] : [];
  if (secret?.previous?.key && new Date(secret.previous.until) > now) keys.push(secret.previous.key);
  return keys;
}
