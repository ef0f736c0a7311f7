import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';

/** Sortable ids with a prefix that says what they name: `evt_`, `dlv_`, `ntf_`, `key_`. */
export const newId = (prefix: 'evt' | 'dlv' | 'ntf' | 'key'): string => `${prefix}_${ulid().toLowerCase()}`;

export const INGEST_KEY_PREFIX = 'hrd_app_';
export const ADMIN_KEY_PREFIX = 'hrd_admin_';
export const KEY_PATTERN = /^hrd_(app|admin)_[A-Za-z0-9_-]{43}$/;

/** A new secret key: its prefix and 32 random bytes, base64url (43 characters). */
export function generateKey(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** A Standard Webhooks signing secret: `whsec_` and 32 random bytes, base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Keys are stored only as their SHA-256. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What may be shown of a key after creation: enough to tell keys apart. */
export function keyDisplayPrefix(key: string): string {
  const kind = /^hrd_(app|admin)_/.exec(key)?.[0] ?? '';
  return key.slice(0, kind.length + 4);
}
