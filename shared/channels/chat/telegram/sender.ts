import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { clip, escapeHtml, providerSettings, withSender } from '../../channel.js';
import { answerJson, judge, sendHttp } from '../../http-post.js';
import type { TelegramTarget } from './target.js';
import { addressing } from './addressing.js';

/** Telegram counts a message's length after its HTML is parsed. */
const MAX_TEXT = 4096;

/**
 * Telegram Bot API `sendMessage` with the installation's bot (`telegram.botToken`): HTML
 * parse mode, every event text escaped, the title in bold, at most 4096 characters, link
 * previews off. Telegram answers `{ok, error_code, description}`; a 429 carries
 * `parameters.retry_after`. The token is in the URL's path: errors name the method only.
 */
export const sender: Channel<TelegramTarget> = withSender(addressing, {
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
