import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { clip, urlRecipient, withSender } from './channel.js';
import { answerJson, judge, sendHttp } from './http-post.js';
import { httpUrl, webhookUrl } from './http-url.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const discordTarget = /* @__PURE__ */ (() =>
  z
    .object({
      url: webhookUrl(/^(\/.*)?\/api\/webhooks\/\d{1,20}\/[\w-]{1,100}\/?$/, 'https://discord.com/api/webhooks/<id>/<token>'),
      /** Who the message says it is from; default the webhook's name. */
      username: z.string().min(1).max(80).optional(),
      avatarUrl: httpUrl.optional(),
      /** Post into this thread of a forum or text channel. */
      threadId: z
        .string()
        .regex(/^\d{1,20}$/, { error: 'must be a thread id (digits)' })
        .optional(),
    })
    .strict())();

export type DiscordTarget = z.infer<typeof discordTarget>;

const COLOR = { info: 0x3b82f6, warning: 0xf59e0b, critical: 0xdc2626 } as const;

export const discordAddressing: ChannelAddressing<DiscordTarget> = {
  name: 'discord',
  ...urlRecipient,
};

/**
 * Discord webhooks: an embed (title 256, description 4096 characters) coloured by
 * severity, mentions turned off (an event's text can't ping @everyone). A 429 says how
 * long to wait in its body (`retry_after`, seconds) and in Retry-After.
 */
export const discord: Channel<DiscordTarget> = /* @__PURE__ */ withSender(discordAddressing, {
  async send(message, context) {
    const target = message.notifier.target as DiscordTarget;
    const { title, body } = renderParts(message, context.messages, context.now()).chat;
    const url = new URL(message.delivery.recipient);
    if (target.threadId) url.searchParams.set('thread_id', target.threadId);
    const call = {
      url: url.toString(),
      label: 'Discord webhook',
      readBody: true,
      body: JSON.stringify({
        ...(target.username ? { username: target.username } : {}),
        ...(target.avatarUrl ? { avatar_url: target.avatarUrl } : {}),
        embeds: [
          {
            title: clip(title, 256),
            description: clip(body, 4096),
            color: COLOR[message.event.severity],
            timestamp: message.event.occurredAt,
          },
        ],
        allowed_mentions: { parse: [] },
      }),
    };
    const answer = await sendHttp(call, context);
    const json = answerJson<{ message: string; code: number; retry_after: number }>(answer);
    return judge(answer, call, context, {
      detail: json?.message,
      retryAfterSeconds: typeof json?.retry_after === 'number' ? Math.ceil(json.retry_after) : undefined,
    });
  },
});
