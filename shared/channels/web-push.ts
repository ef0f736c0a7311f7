import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import { PermanentDeliveryError } from '../errors.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { clip, maskUrl, providerSettings, withSender } from './channel.js';
import { judge, sendHttp } from './http-post.js';
import { httpUrl } from './http-url.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const webPushTarget = /* @__PURE__ */ (() => {
  const base64url = (bytes: number) =>
    z.string().refine((s) => /^[A-Za-z0-9_-]+={0,2}$/.test(s) && Buffer.from(s, 'base64url').length === bytes, {
      error: `must be ${bytes} bytes, base64url`,
    });
  const subscription = z
    .object({
      endpoint: httpUrl,
      keys: z.object({ p256dh: base64url(65), auth: base64url(16) }).strict(),
    })
    .strict();
  return z
    .object({
      /** What the browser's `pushManager.subscribe({applicationServerKey: <the VAPID public key>})` gave the page, as JSON. */
      subscriptions: z.array(subscription).min(1).max(20),
    })
    .strict();
})();

export type WebPushTarget = z.infer<typeof webPushTarget>;

const URGENCY = { info: 'normal', warning: 'high', critical: 'high' } as const;
/** How long a push service keeps a notification for a browser that is offline. */
const TTL_SECONDS = 24 * 3600;

export const webPushAddressing: ChannelAddressing<WebPushTarget> = {
  name: 'web_push',
  provider: 'webPush',
  recipients: (target) => target.subscriptions.map((s) => s.endpoint),
  maskTarget: (target) => ({
    subscriptions: target.subscriptions.map((s) => ({ endpoint: maskUrl(s.endpoint), keys: { p256dh: '****', auth: '****' } })),
  }),
  maskRecipient: maskUrl,
  endpoints: (target) => target.subscriptions.map((s, i) => ({ field: `subscriptions.${i}.endpoint`, url: s.endpoint })),
};

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm (RFC 8291): the payload is
 * `{title, body, url, severity, eventId}` as JSON, encrypted for the subscription, signed with
 * the installation's VAPID keys (`webPush`). The web-push library builds the request; Herald
 * sends it, through the same outbound checks as every other channel. A subscription the push
 * service no longer knows (404, 410) is a permanent failure.
 */
export const webPush: Channel<WebPushTarget> = /* @__PURE__ */ withSender(webPushAddressing, {
  async send(message, context) {
    const settings = providerSettings(context, 'webPush');
    const target = message.notifier.target as WebPushTarget;
    const subscription = target.subscriptions.find((s) => s.endpoint === message.delivery.recipient);
    if (!subscription) throw new PermanentDeliveryError('the subscription is no longer in the notifier');
    const parts = renderParts(message, context.messages, context.now());
    const link = parts.placeholders['link'];
    const payload = JSON.stringify({
      title: parts.chat.title,
      body: clip(parts.chat.body, 2000),
      severity: message.event.severity,
      eventId: message.event.id,
      ...(typeof link === 'string' ? { url: link } : {}),
    });
    // Loaded on the first push, not at start: web-push's crypto (bn.js, asn1.js) is a fifth of the push bundle.
    const { default: webpush } = await import('web-push');
    const request = webpush.generateRequestDetails(subscription, payload, {
      vapidDetails: settings,
      TTL: TTL_SECONDS,
      urgency: URGENCY[message.event.severity],
      contentEncoding: 'aes128gcm',
    });
    const { 'Content-Type': _type, 'Content-Length': _length, ...headers } = request.headers as Record<string, string>;
    const call = {
      url: request.endpoint,
      label: `Web Push ${new URL(request.endpoint).host}`,
      body: request.body as Buffer,
      contentType: 'application/octet-stream',
      headers,
    };
    const answer = await sendHttp(call, context);
    if (answer.status === 404 || answer.status === 410)
      return judge(answer, call, context, { detail: 'the subscription has expired or was withdrawn' });
    return judge(answer, call, context);
  },
});
