import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { clip, defuseMentions, withSender } from '../../channel.js';
import { answerJson, judge, sendHttp } from '../../http-post.js';
import type { RocketchatTarget } from './target.js';
import { addressing } from './addressing.js';

/**
 * Rocket.Chat incoming webhooks: Markdown text, with the integration's overrides (channel,
 * alias, avatar, emoji) when the notifier sets them. Rocket.Chat answers `{success}`;
 * an answer of 200 with `success: false` is a failure. Mass mentions are defused.
 */
export const sender: Channel<RocketchatTarget> = withSender(addressing, {
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
