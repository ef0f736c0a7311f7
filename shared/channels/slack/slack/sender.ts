import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { clip, withSender } from '../../channel.js';
import { judge, sendHttp } from '../../http-post.js';
import type { SlackTarget } from './target.js';
import { addressing } from './addressing.js';

/** Slack refuses a block whose text is empty or over 3000 characters (`invalid_blocks`). */
const MAX_BLOCK_TEXT = 3000;

/**
 * Slack incoming webhooks: `text` as the notification fallback, `blocks` for the message
 * itself, each block's text cut to Slack's 3000 characters and an empty one left out (a long
 * event message must not make Slack refuse the whole notification). Slack explains a
 * refusal with a code in the body (`invalid_blocks`, `no_service`...), which the delivery
 * log keeps. The URL is the secret, so the API and the log show it masked.
 */
export const sender: Channel<SlackTarget> = withSender(addressing, {
  async send(message, context) {
    const { text, blocks } = renderParts(message, context.messages, context.now()).slack;
    const call = { url: message.delivery.recipient, body: JSON.stringify({ text, blocks: fitted(blocks) }), readBody: true };
    const answer = await sendHttp(call, context);
    const code = answer.body.trim();
    return judge(answer, call, context, { detail: /^[a-z_]{1,64}$/.test(code) ? code : undefined });
  },
});

/** The section's and the context's texts within Slack's limits; a block left with no text is dropped. */
function fitted(blocks: unknown[]): unknown[] {
  const fit = (t: { type: string; text: string }) => ({ ...t, text: clip(t.text, MAX_BLOCK_TEXT) });
  return blocks.flatMap((block) => {
    const b = block as { type: string; text?: { type: string; text: string }; elements?: { type: string; text: string }[] };
    if (b.text) return b.text.text.trim() ? [{ ...b, text: fit(b.text) }] : [];
    if (b.elements) {
      const elements = b.elements.filter((e) => e.text.trim()).map(fit);
      return elements.length ? [{ ...b, elements }] : [];
    }
    return [b];
  });
}
