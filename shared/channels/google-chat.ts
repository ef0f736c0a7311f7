import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { clip, urlRecipient, withSender } from './channel.js';
import { callProvider } from './http-post.js';
import { urlOf, webhookUrl } from './http-url.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const googleChatTarget = /* @__PURE__ */ (() =>
  z
    .object({
      url: webhookUrl(
        /^(\/.*)?\/v1\/spaces\/[\w-]{1,64}\/messages$/,
        'https://chat.googleapis.com/v1/spaces/<space>/messages?key=...&token=...',
      ).refine(
        (raw) => {
          const query = urlOf(raw)?.searchParams;
          return !!query?.has('key') && query.has('token');
        },
        { error: 'must carry the key and token of the webhook (…/messages?key=...&token=...)' },
      ),
      /** `card` (default): a card with a header and the body; `text`: plain text. */
      format: z.enum(['card', 'text']).optional(),
      /** Messages with the same key go into one thread. */
      threadKey: z.string().min(1).max(64).optional(),
    })
    .strict())();

export type GoogleChatTarget = z.infer<typeof googleChatTarget>;

export const googleChatAddressing: ChannelAddressing<GoogleChatTarget> = {
  name: 'google_chat',
  ...urlRecipient,
};

/**
 * Google Chat incoming webhooks: a cardsV2 card (header: the title, app name under it;
 * one paragraph: the body) or plain text (4096 characters). The key and token in the URL
 * are secrets, masked in the API and the log.
 */
export const googleChat: Channel<GoogleChatTarget> = /* @__PURE__ */ withSender(googleChatAddressing, {
  async send(message, context) {
    const target = message.notifier.target as GoogleChatTarget;
    const { chat } = renderParts(message, context.messages, context.now());
    const url = new URL(message.delivery.recipient);
    if (target.threadKey) {
      url.searchParams.set('threadKey', target.threadKey);
      url.searchParams.set('messageReplyOption', 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD');
    }
    const body =
      target.format === 'text'
        ? { text: clip(defuseChatMentions(chat.text), 4096) }
        : {
            text: clip(defuseChatMentions(chat.title), 4096),
            cardsV2: [
              {
                cardId: message.delivery.id,
                card: {
                  header: { title: clip(chat.title, 200), subtitle: message.app.name },
                  // textParagraph takes a little HTML: the body is escaped.
                  sections: [{ widgets: [{ textParagraph: { text: escapeHtml(clip(chat.body, 4000)) } }] }],
                },
              },
            ],
          };
    const call = { url: url.toString(), label: 'Google Chat webhook', body: JSON.stringify(body) };
    return callProvider(call, context, (json) => json['error']?.message);
  },
});

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `<users/all>` (and any `<users/…>`) in an event's text would ping people: shown as text instead. */
const defuseChatMentions = (s: string): string => s.replace(/<(users\/[^>]*)>/g, '@$1');
