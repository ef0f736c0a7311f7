import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { maskUrl, withSender } from '../../channel.js';
import { callProvider } from '../../http-post.js';
import type { GotifyTarget } from './target.js';
import { addressing } from './addressing.js';

/** Gotify's scale: 0–3 low, 4–7 normal, 8–10 high (the Android app rings at 8). */
const PRIORITY = { info: 4, warning: 7, critical: 10 } as const;

/**
 * Gotify (self-hosted push): POST {serverUrl}/message with the application token in
 * X-Gotify-Key; title, message, priority by severity, plain-text display, a click link.
 */
export const sender: Channel<GotifyTarget> = withSender(addressing, {
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
