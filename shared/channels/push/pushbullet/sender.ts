import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { withSender } from '../../channel.js';
import { answerJson, judge, sendHttp } from '../../http-post.js';
import type { PushbulletTarget } from './target.js';
import { addressing } from './addressing.js';

/**
 * Pushbullet with the recipient's own access token (Access-Token header): a note, or a
 * link when the app has one. 429 answers wait for X-Ratelimit-Reset.
 */
export const sender: Channel<PushbulletTarget> = withSender(addressing, {
  async send(message, context) {
    const target = message.notifier.target as PushbulletTarget;
    const settings = context.providers?.pushbullet;
    const parts = renderParts(message, context.messages, context.now());
    const link = parts.placeholders['link'];
    const call = {
      url: `${(settings?.apiUrl ?? 'https://api.pushbullet.com').replace(/\/$/, '')}/v2/pushes`,
      label: 'Pushbullet pushes',
      readBody: true,
      headers: { 'access-token': target.accessToken },
      body: JSON.stringify({
        type: typeof link === 'string' ? 'link' : 'note',
        title: parts.chat.title,
        body: parts.chat.body,
        ...(typeof link === 'string' ? { url: link } : {}),
        ...(target.deviceIden ? { device_iden: target.deviceIden } : {}),
        ...(target.channelTag ? { channel_tag: target.channelTag } : {}),
      }),
    };
    const answer = await sendHttp(call, context);
    const reset = Number(answer.headers['x-ratelimit-reset']);
    return judge(answer, call, context, {
      detail: answerJson<{ error: { message: string } }>(answer)?.error?.message,
      retryAfterSeconds: answer.status === 429 && reset > 0 ? Math.max(1, Math.ceil(reset - context.now().getTime() / 1000)) : undefined,
    });
  },
});
