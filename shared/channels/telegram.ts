import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { clip, providerSettings, withSender } from './channel.js';
import { escapeHtml } from './google-chat.js';
import { answerJson, judge, sendHttp } from './http-post.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const telegramTarget = /* @__PURE__ */ (() =>
  z
    .object({
      /** A chat id (a user, a group: `-100…` for supergroups) or a public `@channelusername`. */
      chatId: z.string().regex(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/, { error: 'must be a chat id (digits) or @channelusername' }),
      /** A topic of a forum supergroup. */
      threadId: z.number().int().positive().optional(),
      /** Deliver without sound. */
      silent: z.boolean().optional(),
    })
    .strict())();

export type TelegramTarget = z.infer<typeof telegramTarget>;

/** Telegram counts a message's length after its HTML is parsed. */
const MAX_TEXT = 4096;

export const telegramAddressing: ChannelAddressing<TelegramTarget> = {
  name: 'telegram',
  provider: 'telegram',
  recipients: (target) => [target.chatId],
  maskTarget: (target) => target,
  maskRecipient: (recipient) => recipient,
  endpoints: () => [],
};

/**
 * Telegram Bot API `sendMessage` with the installation's bot (`telegram.botToken`): HTML
 * parse mode, every event text escaped, the title in bold, at most 4096 characters, link
 * previews off. Telegram answers `{ok, error_code, description}`; a 429 carries
 * `parameters.retry_after`. The token is in the URL's path: errors name the method only.
 */
export const telegram: Channel<TelegramTarget> = /* @__PURE__ */ withSender(telegramAddressing, {
  async send(message, context) {
    const settings = providerSettings(context, 'telegram');
    const target = message.notifier.target as TelegramTarget;
    const { chat } = renderParts(message, context.messages, context.now());
    const title = clip(chat.title, 256);
    const body = clip(chat.body, MAX_TEXT - title.length - 1);
    const call = {
      url: `${(settings.apiUrl ?? 'https://api.telegram.org').replace(/\/$/, '')}/bot${settings.botToken}/sendMessage`,
      label: 'Telegram sendMessage',
      readBody: true,
      body: JSON.stringify({
        chat_id: message.delivery.recipient,
        text: `<b>${escapeHtml(title)}</b>\n${escapeHtml(body)}`,
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(target.threadId ? { message_thread_id: target.threadId } : {}),
        ...(target.silent ? { disable_notification: true } : {}),
      }),
    };
    const answer = await sendHttp(call, context);
    const json = answerJson<{ ok: boolean; description: string; parameters: { retry_after: number } }>(answer);
    return judge(answer, call, context, { detail: json?.description, retryAfterSeconds: json?.parameters?.retry_after });
  },
});
