import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel } from './channel.js';
import { urlRecipient } from './channel.js';
import { postJson } from './http-post.js';
import { httpUrl } from './http-url.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const slackTarget = /* @__PURE__ */ (() => z.object({ url: httpUrl }).strict())();

export type SlackTarget = z.infer<typeof slackTarget>;

/**
 * Slack incoming webhooks (and Mattermost and Rocket.Chat, which take the same JSON):
 * `text` as the notification fallback, `blocks` for the message itself. The URL is the
 * secret, so the API and the log show it masked.
 */
export const slack: Channel<SlackTarget> = {
  name: 'slack',
  ...urlRecipient,

  send(message, context) {
    const { text, blocks } = renderParts(message, context.messages, context.now()).slack;
    return postJson(message.delivery.recipient, JSON.stringify({ text, blocks }), {}, context);
  },
};
