import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { clip, maskSecret, providerSettings, withSender } from './channel.js';
import { callProvider } from './http-post.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const pushoverTarget = /* @__PURE__ */ (() =>
  z
    .object({
      /** A user or group key (30 characters). */
      userKey: z.string().regex(/^[A-Za-z0-9]{30}$/, { error: 'must be a Pushover user or group key (30 letters and digits)' }),
      /** Only these devices of the user. */
      device: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,25}(,[A-Za-z0-9_-]{1,25})*$/, { error: 'must be device names, comma separated' })
        .optional(),
      sound: z
        .string()
        .regex(/^[a-z0-9_-]{1,32}$/, { error: 'must be a sound name' })
        .optional(),
      /**
       * Critical events at emergency priority: repeated every `retrySeconds` (≥ 30) until
       * acknowledged or `expireSeconds` (≤ 10800) have passed.
       */
      emergency: z
        .object({ retrySeconds: z.number().int().min(30).max(10800), expireSeconds: z.number().int().min(30).max(10800) })
        .strict()
        .optional(),
    })
    .strict())();

export type PushoverTarget = z.infer<typeof pushoverTarget>;

export const pushoverAddressing: ChannelAddressing<PushoverTarget> = {
  name: 'pushover',
  provider: 'pushover',
  recipients: (target) => [target.userKey],
  maskTarget: (target) => ({ ...target, userKey: maskSecret(target.userKey) }),
  maskRecipient: maskSecret,
  endpoints: () => [],
};

/**
 * Pushover through the installation's application (`pushover.appToken`): title (250),
 * message (1024), priority 0 / 1 / 1 for info / warning / critical, or 2 (emergency, with
 * retry and expire) for critical events when the notifier asks for it.
 */
export const pushover: Channel<PushoverTarget> = /* @__PURE__ */ withSender(pushoverAddressing, {
  async send(message, context) {
    const settings = providerSettings(context, 'pushover');
    const target = message.notifier.target as PushoverTarget;
    const parts = renderParts(message, context.messages, context.now());
    const link = parts.placeholders['link'];
    const emergency = message.event.severity === 'critical' && target.emergency;
    const call = {
      url: `${(settings.apiUrl ?? 'https://api.pushover.net').replace(/\/$/, '')}/1/messages.json`,
      label: 'Pushover messages',
      body: JSON.stringify({
        token: settings.appToken,
        user: message.delivery.recipient,
        title: clip(parts.chat.title, 250),
        message: clip(parts.chat.body, 1024),
        timestamp: Math.floor(Date.parse(message.event.occurredAt) / 1000),
        priority: emergency ? 2 : message.event.severity === 'info' ? 0 : 1,
        ...(emergency ? { retry: emergency.retrySeconds, expire: emergency.expireSeconds } : {}),
        ...(typeof link === 'string' ? { url: clip(link, 512) } : {}),
        ...(target.device ? { device: target.device } : {}),
        ...(target.sound ? { sound: target.sound } : {}),
      }),
    };
    return callProvider(call, context, (json) => json['errors']?.join('; '));
  },
});
