import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { clip, defuseMentions, urlRecipient, withSender } from './channel.js';
import { callProvider } from './http-post.js';
import { httpUrl, webhookUrl } from './http-url.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const mattermostTarget = /* @__PURE__ */ (() =>
  z
    .object({
      url: webhookUrl(/^(\/.*)?\/hooks\/[a-z0-9]{26}$/, 'https://chat.example.com/hooks/<26-character id>'),
      /** A channel name (`town-square`) or `@username`, instead of the webhook's own channel. */
      channel: z
        .string()
        .regex(/^@?[a-z0-9._-]{1,64}$/, { error: 'must be a channel name or @username' })
        .optional(),
      username: z.string().min(1).max(64).optional(),
      iconUrl: httpUrl.optional(),
      iconEmoji: z
        .string()
        .regex(/^[a-z0-9_+-]{1,64}$/, { error: 'must be an emoji name without colons' })
        .optional(),
    })
    .strict())();

export type MattermostTarget = z.infer<typeof mattermostTarget>;

export const mattermostAddressing: ChannelAddressing<MattermostTarget> = {
  name: 'mattermost',
  ...urlRecipient,
};

/**
 * Mattermost incoming webhooks: Markdown text, with the webhook's overrides (channel,
 * username, icon) when the notifier sets them; the server must allow overrides for them
 * to apply. Mass mentions in an event's text are defused.
 */
export const mattermost: Channel<MattermostTarget> = /* @__PURE__ */ withSender(mattermostAddressing, {
  async send(message, context) {
    const target = message.notifier.target as MattermostTarget;
    const { chat } = renderParts(message, context.messages, context.now());
    const call = {
      url: message.delivery.recipient,
      label: 'Mattermost webhook',
      body: JSON.stringify({
        text: clip(defuseMentions(chat.text), 16_000),
        ...(target.channel ? { channel: target.channel } : {}),
        ...(target.username ? { username: target.username } : {}),
        ...(target.iconUrl ? { icon_url: target.iconUrl } : {}),
        ...(target.iconEmoji ? { icon_emoji: target.iconEmoji } : {}),
      }),
    };
    return callProvider(call, context, (json) => json['message']);
  },
});
