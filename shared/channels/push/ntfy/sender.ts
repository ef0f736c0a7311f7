import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { clip, withSender } from '../../channel.js';
import { callProvider } from '../../http-post.js';
import type { NtfyTarget } from './target.js';
import { addressing, serverOf } from './addressing.js';

const PRIORITY = { info: 3, warning: 4, critical: 5 } as const;
const TAG = { info: 'information_source', warning: 'warning', critical: 'rotating_light' } as const;

/**
 * ntfy: a JSON message to the server's root (topic, title, message of at most 4096 bytes,
 * priority 3/4/5 and an emoji tag by severity, a click link), with a Bearer token for
 * protected topics. Anyone who knows a topic can read it: the API shows it masked.
 */
export const sender: Channel<NtfyTarget> = withSender(addressing, {
  async send(message, context) {
    const target = message.notifier.target as NtfyTarget;
    const settings = context.providers?.ntfy;
    const parts = renderParts(message, context.messages, context.now());
    const token = target.token ?? settings?.token;
    const link = parts.placeholders['link'];
    const call = {
      url: `${serverOf(target, settings?.serverUrl)}/`,
      label: `ntfy ${serverOf(target, settings?.serverUrl)}`,
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      body: JSON.stringify({
        topic: target.topic,
        title: parts.chat.title,
        message: clipBytes(parts.chat.body, 4096),
        priority: PRIORITY[message.event.severity],
        tags: [TAG[message.event.severity]],
        ...(typeof link === 'string' ? { click: link } : {}),
      }),
    };
    return callProvider(call, context, (json) => json['error']);
  },
});

/** At most `max` UTF-8 bytes (ntfy's limit is in bytes). */
function clipBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = clip(text, max);
  while (Buffer.byteLength(out) > max) out = clip(out, out.length - 16);
  return out;
}
