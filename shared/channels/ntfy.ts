import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { clip, withSender } from './channel.js';
import { callProvider } from './http-post.js';
import { httpUrl } from './http-url.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const ntfyTarget = /* @__PURE__ */ (() =>
  z
    .object({
      topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/, { error: 'must be 1 to 64 letters, digits, - or _' }),
      /** Default: the installation's ntfy server (ntfy.serverUrl), else https://ntfy.sh. */
      serverUrl: httpUrl.optional(),
      /** An access token (tk_…) for a protected topic; default the installation's. */
      token: z
        .string()
        .regex(/^tk_[A-Za-z0-9]{29}$/, { error: 'must be an ntfy access token (tk_…)' })
        .optional(),
    })
    .strict())();

export type NtfyTarget = z.infer<typeof ntfyTarget>;

const PRIORITY = { info: 3, warning: 4, critical: 5 } as const;
const TAG = { info: 'information_source', warning: 'warning', critical: 'rotating_light' } as const;

const serverOf = (target: NtfyTarget, fallback?: string) => (target.serverUrl ?? fallback ?? 'https://ntfy.sh').replace(/\/$/, '');

export const ntfyAddressing: ChannelAddressing<NtfyTarget> = {
  name: 'ntfy',
  settings: 'ntfy',
  recipients: (target) => [target.serverUrl ? `${serverOf(target)}/${target.topic}` : target.topic],
  maskTarget: (target) => ({ ...target, topic: `${target.topic.slice(0, 3)}****`, ...(target.token ? { token: 'tk_****' } : {}) }),
  maskRecipient: (recipient) => recipient.replace(/(^|\/)([^/]{0,3})[^/]*$/, '$1$2****'),
  endpoints: (target) => (target.serverUrl ? [{ field: 'serverUrl', url: target.serverUrl }] : []),
};

/**
 * ntfy: a JSON message to the server's root (topic, title, message of at most 4096 bytes,
 * priority 3/4/5 and an emoji tag by severity, a click link), with a Bearer token for
 * protected topics. Anyone who knows a topic can read it: the API shows it masked.
 */
export const ntfy: Channel<NtfyTarget> = /* @__PURE__ */ withSender(ntfyAddressing, {
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
