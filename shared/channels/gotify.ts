import { z } from 'zod';
import { renderParts } from '../core/messages/render.js';
import type { Channel, ChannelAddressing } from './channel.js';
import { maskUrl, withSender } from './channel.js';
import { callProvider } from './http-post.js';
import { httpUrl } from './http-url.js';

/** Pure (see channel.ts): a bundle that never validates targets leaves zod out. */
export const gotifyTarget = /* @__PURE__ */ (() =>
  z
    .object({
      serverUrl: httpUrl,
      /** The token of a Gotify application (Apps → create), 15 characters starting with A. */
      appToken: z.string().regex(/^A[\w.-]{14}$/, { error: 'must be a Gotify application token (15 characters, starting with A)' }),
    })
    .strict())();

export type GotifyTarget = z.infer<typeof gotifyTarget>;

/** Gotify's scale: 0–3 low, 4–7 normal, 8–10 high (the Android app rings at 8). */
const PRIORITY = { info: 4, warning: 7, critical: 10 } as const;

export const gotifyAddressing: ChannelAddressing<GotifyTarget> = {
  name: 'gotify',
  recipients: (target) => [`${target.serverUrl.replace(/\/$/, '')}/message?token=${target.appToken}`],
  maskTarget: (target) => ({ ...target, appToken: 'A****' }),
  maskRecipient: maskUrl,
  endpoints: (target) => [{ field: 'serverUrl', url: target.serverUrl }],
};

/**
 * Gotify (self-hosted push): POST {serverUrl}/message with the application token in
 * X-Gotify-Key; title, message, priority by severity, plain-text display, a click link.
 */
export const gotify: Channel<GotifyTarget> = /* @__PURE__ */ withSender(gotifyAddressing, {
  async send(message, context) {
    const target = message.notifier.target as GotifyTarget;
    const parts = renderParts(message, context.messages, context.now());
    const link = parts.placeholders['link'];
    const call = {
      url: `${target.serverUrl.replace(/\/$/, '')}/message`,
      label: `Gotify ${maskUrl(target.serverUrl)}`,
      headers: { 'x-gotify-key': target.appToken },
      body: JSON.stringify({
        title: parts.chat.title,
        message: parts.chat.body,
        priority: PRIORITY[message.event.severity],
        extras: {
          'client::display': { contentType: 'text/plain' },
          ...(typeof link === 'string' ? { 'client::notification': { click: { url: link } } } : {}),
        },
      }),
    };
    return callProvider(call, context, (json) => json['errorDescription']);
  },
});
