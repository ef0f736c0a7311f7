import { createECDH, createPublicKey, randomBytes, randomUUID, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import { MAX_KEPT } from '../kept.js';
import { inMemory, refuse, type StandIn, type StandInRequest, type StateOf } from './stand-in.js';

const require = createRequire(import.meta.url);
const ece = require('http_ece') as { decrypt(buffer: Buffer, params: Record<string, unknown>): Buffer };

/** A subscription as the data dir keeps it: the browser's private key, its auth secret, the server key it was made for. */
type SavedSubscription = { privateKey: string; auth: string; serverKey: string };

/**
 * A Web Push service, and the browser behind it: `POST /subscriptions` makes a subscription
 * (what a browser's PushManager.subscribe() gives a page), `POST /push/{id}` takes a push the
 * way push services do (VAPID JWT checked against the key, aes128gcm, TTL, 4096 bytes) and
 * decrypts it with the subscription's keys, so the outbox shows what the browser would.
 * Subscriptions are kept (a notifier that saved one must not get 410 Gone after a restart).
 */
export function webPushStandIn(stateOf: StateOf = inMemory): StandIn {
  const kept = stateOf<Record<string, SavedSubscription>>('web_push');
  const subscriptions = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: Buffer; serverKey: string }>();
  for (const [id, saved] of Object.entries(kept.value ?? {})) {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(saved.privateKey, 'base64url'));
    subscriptions.set(id, { ecdh, auth: Buffer.from(saved.auth, 'base64url'), serverKey: saved.serverKey });
  }
  const save = () => {
    // The latest only, like the outboxes.
    for (const id of [...subscriptions.keys()].slice(0, Math.max(0, subscriptions.size - MAX_KEPT))) subscriptions.delete(id);
    kept.save(
      Object.fromEntries(
        [...subscriptions].map(([id, s]) => [
          id,
          { privateKey: s.ecdh.getPrivateKey().toString('base64url'), auth: s.auth.toString('base64url'), serverKey: s.serverKey },
        ]),
      ),
    );
  };
  return {
    provider: 'web_push',
    handle(req, settings) {
      if (req.method === 'POST' && req.path === '/subscriptions') {
        const ecdh = createECDH('prime256v1');
        ecdh.generateKeys();
        const id = randomBytes(16).toString('base64url');
        const auth = randomBytes(16);
        subscriptions.set(id, { ecdh, auth, serverKey: settings.webPush?.publicKey ?? '' });
        save();
        const host = String(req.headers['host'] ?? '127.0.0.1');
        return {
          status: 201,
          json: {
            endpoint: `http://${host}/_local/web_push/push/${id}`,
            keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
          },
        };
      }
      const m = /^\/push\/([\w-]+)$/.exec(req.path);
      if (req.method !== 'POST' || !m) refuse(404, { reason: 'not found' });
      const subscription = subscriptions.get(m?.[1] as string);
      if (!subscription) refuse(410, { reason: 'push subscription has unsubscribed or expired' });
      const { jwt, key } = vapidOf(req);
      if (key !== subscription?.serverKey) refuse(403, { reason: 'the VAPID key does not match the one the subscription was made with' });
      checkVapid(jwt, key, `http://${String(req.headers['host'])}`);
      if (!/^\d+$/.test(String(req.headers['ttl'] ?? ''))) refuse(400, { reason: 'TTL header is missing' });
      if (req.headers['content-encoding'] !== 'aes128gcm') refuse(415, { reason: 'Content-Encoding must be aes128gcm' });
      if (req.raw.length > 4096) refuse(413, { reason: 'payload too large' });
      let payload: unknown;
      try {
        const plain = ece.decrypt(req.raw, {
          version: 'aes128gcm',
          privateKey: subscription?.ecdh,
          authSecret: subscription?.auth.toString('base64url'),
        });
        payload = JSON.parse(plain.toString('utf8'));
      } catch {
        refuse(400, { reason: 'the payload does not decrypt with the subscription keys' });
      }
      return {
        status: 201,
        headers: { location: `/_local/web_push/message/${randomUUID()}` },
        delivered: { subscription: m?.[1], urgency: req.headers['urgency'], ttl: Number(req.headers['ttl']), payload },
      };
    },
  };
}

function vapidOf(req: StandInRequest): { jwt: string; key: string } {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), ?k=([\w-]+)$/.exec(String(req.headers['authorization'] ?? ''));
  if (!m) refuse(401, { reason: 'missing or malformed VAPID Authorization header' });
  return { jwt: m?.[1] as string, key: m?.[2] as string };
}

/** The JWT: ES256, signed by the key's private half, `aud` the push service's origin, `exp` within 24 h, a `sub`. */
function checkVapid(jwt: string, key: string, origin: string): void {
  const [header, claims, signature] = jwt.split('.') as [string, string, string];
  const point = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33, 65).toString('base64url') },
    format: 'jwk',
  });
  const valid = verify(
    'sha256',
    Buffer.from(`${header}.${claims}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) refuse(403, { reason: 'the VAPID signature does not verify' });
  const body = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { aud?: string; exp?: number; sub?: string };
  const now = Date.now() / 1000;
  if (body.aud !== origin) refuse(403, { reason: `the VAPID audience must be ${origin}` });
  if (!body.exp || body.exp < now || body.exp > now + 24 * 3600) refuse(403, { reason: 'the VAPID expiry must be within 24 hours' });
  if (!/^(mailto:|https:)/.test(body.sub ?? '')) refuse(403, { reason: 'the VAPID subject must be mailto: or https:' });
}
