import { timingSafeEqual } from 'node:crypto';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { KeyStore } from '../core/ports.js';
import type { ApiKey } from '../core/types.js';
import { hashKey, KEY_PATTERN } from '../ids.js';

export type Principal = { kind: 'admin' } | { kind: 'ingest'; appId: string; keyId: string };

/** Who did it (a silence, an acknowledgement): `by` as given (free text, an e-mail), else the key: `admin`, or the ingest key's id. */
export const byOf = (by: string | undefined, principal: Principal | undefined): string =>
  by?.trim() || (principal ? (principal.kind === 'admin' ? 'admin' : principal.keyId) : 'someone with the link');

const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 10_000;

/**
 * Who is calling: the admin key (compared in constant time), or an app's ingest key
 * (looked up by its SHA-256, cached for 30 s; a revoked key is refused from the next
 * request this process serves, and within 30 s everywhere).
 */
export class Authenticator {
  private adminHash: Buffer;
  private adminKey: string;
  private readonly cache = new Map<string, { key: ApiKey; until: number }>();

  constructor(
    adminKey: string,
    private readonly keys: KeyStore,
    private readonly now: () => number = Date.now,
  ) {
    this.adminKey = adminKey;
    this.adminHash = Buffer.from(hashKey(adminKey), 'hex');
  }

  /** The admin key from now on (rotated in its secret): the previous one is refused. */
  useAdminKey(adminKey: string): void {
    if (adminKey === this.adminKey) return;
    this.adminKey = adminKey;
    this.adminHash = Buffer.from(hashKey(adminKey), 'hex');
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer ([^\s]+)$/.exec(authorization ?? '');
    if (!match?.[1]) throw new UnauthorizedError();
    const presented = match[1];
    const hash = hashKey(presented);
    if (timingSafeEqual(Buffer.from(hash, 'hex'), this.adminHash)) return { kind: 'admin' };
    if (!KEY_PATTERN.test(presented)) throw new UnauthorizedError('The API key is malformed');
    const key = await this.lookup(hash);
    if (!key) throw new UnauthorizedError('The API key is not known');
    if (key.revokedAt) throw new UnauthorizedError('The API key was revoked');
    return { kind: 'ingest', appId: key.appId, keyId: key.id };
  }

  /** Forget a cached key (its revocation, in this process). */
  forget(keyId: string): void {
    for (const [hash, entry] of this.cache) if (entry.key.id === keyId) this.cache.delete(hash);
  }

  private async lookup(hash: string): Promise<ApiKey | undefined> {
    const cached = this.cache.get(hash);
    if (cached && cached.until > this.now()) return cached.key;
    const key = await this.keys.findByHash(hash);
    if (!key) return undefined;
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(hash, { key, until: this.now() + CACHE_TTL_MS });
    return key;
  }
}

/** The app an event or heartbeat is for: an ingest key's own, or the one an admin names. */
export function appForIngest(principal: Principal, named: string | undefined): string {
  if (principal.kind === 'ingest') {
    if (named !== undefined && named !== principal.appId) throw new ForbiddenError('An ingest key posts for its own app only');
    return principal.appId;
  }
  if (!named) throw new ForbiddenError('With the admin key, name the app in the body: "app"');
  return named;
}
