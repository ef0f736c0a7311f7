import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { clip, escapeHtml, withSender } from '../../channel.js';
import { callProvider } from '../../http-post.js';
import type { GoogleChatTarget } from './target.js';
import { addressing } from './addressing.js';

/**
 * Google Chat incoming webhooks: a cardsV2 card (header: the title, app name under it;
 * one paragraph: the body) or plain text (4096 characters). The key and token in the URL
 * are secrets, masked in the API and the log.
 */
export const sender: Channel<GoogleChatTarget> = withSender(addressing, {
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

/** `<users/all>` (and any `<users/…>`) in an event's text would ping people: shown as text instead. */
const defuseChatMentions = (s: string): string => s.replace(/<(users\/[^>]*)>/g, '@$1');
