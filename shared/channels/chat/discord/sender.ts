import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { clip, withSender } from '../../channel.js';
import { answerJson, judge, sendHttp } from '../../http-post.js';
import type { DiscordTarget } from './target.js';
import { addressing } from './addressing.js';

const COLOR = { info: 0x3b82f6, warning: 0xf59e0b, critical: 0xdc2626 } as const;

/**
 * Discord webhooks: an embed (title 256, description 4096 characters) coloured by
 * severity, mentions turned off (an event's text can't ping @everyone). A 429 says how
 * long to wait in its body (`retry_after`, seconds) and in Retry-After.
 */
export const sender: Channel<DiscordTarget> = withSender(addressing, {
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
    const result = judge(answer, call, context, {
      detail: json?.message,
      retryAfterSeconds: typeof json?.retry_after === 'number' ? Math.ceil(json.retry_after) : undefined,
    });
    // Discord says when a webhook's bucket is spent: pacing waits for its reset rather than meet a 429.
    const resetAfter = Number(answer.headers['x-ratelimit-reset-after']);
    return answer.headers['x-ratelimit-remaining'] === '0' && resetAfter > 0 ? { ...result, spentForSeconds: resetAfter } : result;
  },
});
