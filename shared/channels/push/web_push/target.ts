import { z } from 'zod';
import { httpUrl } from '../../http-url.js';

export const target = (() => {
  const base64url = (bytes: number) =>
    z.string().refine((s) => /^[A-Za-z0-9_-]+={0,2}$/.test(s) && Buffer.from(s, 'base64url').length === bytes, {
      error: `must be ${bytes} bytes, base64url`,
    });
  const subscription = z.strictObject({
    endpoint: httpUrl,
    keys: z.strictObject({ p256dh: base64url(65), auth: base64url(16) }),
  });
  return z.strictObject({
    /** What the browser's `pushManager.subscribe({applicationServerKey: <the VAPID public key>})` gave the page, as JSON. */
    subscriptions: z.array(subscription).min(1).max(20),
  });
})();

export type WebPushTarget = z.infer<typeof target>;
