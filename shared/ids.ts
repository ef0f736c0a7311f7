import { createHash, randomBytes } from 'node:crypto';
import { decodeTime, ulid } from 'ulid';
import { deliveryIdOf } from './delivery-ids.js';

export { deliveryIdOf, eventIdOfDelivery } from './delivery-ids.js';

/**
 * Random bytes for ids from a pool: ulid's own source asks the OS for one byte per
 * character (16 calls an id), which was a tenth of local mode's CPU per event.
 */
let pool = Buffer.alloc(0);
let taken = 0;
const pooledRandom = (): number => {
  if (taken === pool.length) {
    pool = randomBytes(4096);
    taken = 0;
  }
  return (pool[taken++] as number) / 256;
};

/** Sortable ids with a prefix that says what they name: `evt_`, `dlv_`, `ntf_`, `key_`, `src_`. */
export const newId = (prefix: 'evt' | 'dlv' | 'ntf' | 'key' | 'src' | 'sil' | 'icd' | 'con' | 'cgr'): string =>
  `${prefix}_${ulid(undefined, pooledRandom).toLowerCase()}`;

/**
 * A new delivery's id, its key a hash of notifier and recipient: a resumed request makes the
 * same ids. `mark` tells apart deliveries made later for the same event (an escalation step,
 * a failover): a timer that fires twice makes the same ids again.
 */
export const deliveryIdFor =
  (eventId: string, mark?: string) =>
  (notifierId: string, recipient: string): string =>
    deliveryIdOf(
      eventId,
      createHash('sha256')
        .update(`${mark ? `${mark}\n` : ''}${notifierId}\n${recipient}`)
        .digest('hex')
        .slice(0, 10),
    );

/** When an id (`evt_`, `dlv_`...: a ULID after the prefix) was made, epoch ms. */
export function timeOfId(id: string): number {
  try {
    return decodeTime(id.slice(4, 30).toUpperCase());
  } catch {
    return 0;
  }
}

export const INGEST_KEY_PREFIX = 'hrd_app_';
export const ADMIN_KEY_PREFIX = 'hrd_admin_';
export const KEY_PATTERN = /^hrd_(app|admin)_[A-Za-z0-9_-]{43}$/;
/** An inbound source's secret: the bearer token of Alertmanager, Grafana and JSON sources, GitHub's HMAC key. */
export const SOURCE_SECRET_PREFIX = 'hrd_src_';

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
