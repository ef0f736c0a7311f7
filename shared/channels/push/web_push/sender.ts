import { renderParts } from '../../../core/messages/render.js';
import { PermanentDeliveryError } from '../../../errors.js';
import type { Channel } from '../../channel.js';
import { clip, providerSettings, withSender } from '../../channel.js';
import { judge, sendHttp } from '../../http-post.js';
import type { WebPushTarget } from './target.js';
import { addressing } from './addressing.js';

const URGENCY = { info: 'normal', warning: 'high', critical: 'high' } as const;
/** How long a push service keeps a notification for a browser that is offline. */
const TTL_SECONDS = 24 * 3600;

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm (RFC 8291): the payload is
 * `{title, body, url, severity, eventId}` as JSON, encrypted for the subscription, signed with
 * the installation's VAPID keys (`webPush`). The web-push library builds the request; Herald
 * sends it, through the same outbound checks as every other channel. A subscription the push
 * service no longer knows (404, 410) is a permanent failure.
 */
export const sender: Channel<WebPushTarget> = withSender(addressing, {
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
