import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { providerSettings, withSender } from '../../channel.js';
import { callProvider } from '../../http-post.js';
import type { PusherBeamsTarget } from './target.js';
import { addressing } from './addressing.js';

/**
 * Pusher Beams through the installation's instance (`pusherBeams.instanceId`, `.secretKey`):
 * a publish to one authenticated user, with the notification for web, Android (FCM) and
 * iOS (APNs) alike.
 */
export const sender: Channel<PusherBeamsTarget> = withSender(addressing, {
  async send(message, context) {
    const settings = providerSettings(context, 'pusherBeams');
    const parts = renderParts(message, context.messages, context.now());
    const link = parts.placeholders['link'];
    const notification = { title: parts.chat.title, body: parts.chat.body };
    const base = settings.apiUrl ?? `https://${settings.instanceId}.pushnotifications.pusher.com`;
    const call = {
      url: `${base.replace(/\/$/, '')}/publish_api/v1/instances/${encodeURIComponent(settings.instanceId)}/publishes/users`,
      label: 'Pusher Beams publish',
      headers: { authorization: `Bearer ${settings.secretKey}` },
      body: JSON.stringify({
        users: [message.delivery.recipient],
        web: { notification: { ...notification, ...(typeof link === 'string' ? { deep_link: link } : {}) } },
        fcm: { notification },
        apns: { aps: { alert: notification } },
      }),
    };
    return callProvider(call, context, (json) => json['description']);
  },
});
