import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { clip, defuseMentions, withSender } from '../../channel.js';
import { callProvider } from '../../http-post.js';
import type { MattermostTarget } from './target.js';
import { addressing } from './addressing.js';

/**
 * Mattermost incoming webhooks: Markdown text, with the webhook's overrides (channel,
 * username, icon) when the notifier sets them; the server must allow overrides for them
 * to apply. Mass mentions in an event's text are defused.
 */
export const sender: Channel<MattermostTarget> = withSender(addressing, {
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
