import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { providerSettings, withSender } from './channel.js';
import { callProvider } from './http-post.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const pusherBeamsTarget = /* @__PURE__ */ (() =>
  z
    .object({
      /** Authenticated Beams user ids (at most 164 characters each). */
      users: z.array(z.string().min(1).max(164)).min(1).max(100),
    })
    .strict())();

export type PusherBeamsTarget = z.infer<typeof pusherBeamsTarget>;

export const pusherBeamsAddressing: ChannelAddressing<PusherBeamsTarget> = {
  name: 'pusher_beams',
  provider: 'pusherBeams',
  recipients: (target) => target.users,
  maskTarget: (target) => target,
  maskRecipient: (recipient) => recipient,
  endpoints: () => [],
};

/**
 * Pusher Beams through the installation's instance (`pusherBeams.instanceId`, `.secretKey`):
 * a publish to one authenticated user, with the notification for web, Android (FCM) and
 * iOS (APNs) alike.
 */
export const pusherBeams: Channel<PusherBeamsTarget> = /* @__PURE__ */ withSender(pusherBeamsAddressing, {
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
