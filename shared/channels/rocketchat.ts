import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { clip, defuseMentions, urlRecipient, withSender } from './channel.js';
import { answerJson, judge, sendHttp } from './http-post.js';
import { httpUrl, webhookUrl } from './http-url.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const rocketchatTarget = /* @__PURE__ */ (() =>
  z
    .object({
      url: webhookUrl(/^(\/.*)?\/hooks\/[A-Za-z0-9]{10,40}\/[A-Za-z0-9]{20,80}$/, 'https://chat.example.com/hooks/<id>/<token>'),
      /** `#room` or `@username`, instead of the integration's own channel. */
      channel: z
        .string()
        .regex(/^[#@][\w.-]{1,64}$/, { error: 'must be #room or @username' })
        .optional(),
      /** The name shown instead of the integration's user (Rocket.Chat's alias). */
      username: z.string().min(1).max(64).optional(),
      iconUrl: httpUrl.optional(),
      iconEmoji: z
        .string()
        .regex(/^:[a-z0-9_+-]{1,64}:$/, { error: 'must be an emoji such as :bell:' })
        .optional(),
    })
    .strict())();

export type RocketchatTarget = z.infer<typeof rocketchatTarget>;

export const rocketchatAddressing: ChannelAddressing<RocketchatTarget> = {
  name: 'rocketchat',
  ...urlRecipient,
};

/**
 * Rocket.Chat incoming webhooks: Markdown text, with the integration's overrides (channel,
 * alias, avatar, emoji) when the notifier sets them. Rocket.Chat answers `{success}`;
 * an answer of 200 with `success: false` is a failure. Mass mentions are defused.
 */
export const rocketchat: Channel<RocketchatTarget> = /* @__PURE__ */ withSender(rocketchatAddressing, {
  async send(message, context) {
    const target = message.notifier.target as RocketchatTarget;
    const { chat } = renderParts(message, context.messages, context.now());
    const call = {
      url: message.delivery.recipient,
      label: 'Rocket.Chat webhook',
      readBody: true,
      body: JSON.stringify({
        text: clip(defuseMentions(chat.text), 5000),
        ...(target.channel ? { channel: target.channel } : {}),
        ...(target.username ? { alias: target.username } : {}),
        ...(target.iconUrl ? { avatar: target.iconUrl } : {}),
        ...(target.iconEmoji ? { emoji: target.iconEmoji } : {}),
      }),
    };
    const answer = await sendHttp(call, context);
    const json = answerJson<{ success: boolean; error: string }>(answer);
    const refused = answer.status < 300 && json?.success === false;
    return judge(answer, call, context, { detail: json?.error, ...(refused ? { failedAs: 'permanent' as const } : {}) });
  },
});
