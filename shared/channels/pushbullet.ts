import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { maskSecret, withSender } from './channel.js';
import { answerJson, judge, sendHttp } from './http-post.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const pushbulletTarget = /* @__PURE__ */ (() =>
  z
    .object({
      /** The user's access token (Settings → Access Tokens): the pushes go to their devices. */
      accessToken: z.string().regex(/^o\.[A-Za-z0-9]{32}$/, { error: 'must be a Pushbullet access token (o.…)' }),
      /** Only this device of theirs. */
      deviceIden: z
        .string()
        .regex(/^[A-Za-z0-9]{1,64}$/, { error: 'must be a device iden' })
        .optional(),
      /** Or a channel they own, to everyone subscribed. */
      channelTag: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: 'must be a channel tag' })
        .optional(),
    })
    .strict())();

export type PushbulletTarget = z.infer<typeof pushbulletTarget>;

export const pushbulletAddressing: ChannelAddressing<PushbulletTarget> = {
  name: 'pushbullet',
  settings: 'pushbullet',
  recipients: (target) => [target.accessToken],
  maskTarget: (target) => ({ ...target, accessToken: maskSecret(target.accessToken) }),
  maskRecipient: maskSecret,
  endpoints: () => [],
};

/**
 * Pushbullet with the recipient's own access token (Access-Token header): a note, or a
 * link when the app has one. 429 answers wait for X-Ratelimit-Reset.
 */
export const pushbullet: Channel<PushbulletTarget> = /* @__PURE__ */ withSender(pushbulletAddressing, {
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
