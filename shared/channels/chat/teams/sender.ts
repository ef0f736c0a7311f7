import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { clip, withSender } from '../../channel.js';
import { callProvider } from '../../http-post.js';
import type { TeamsTarget } from './target.js';
import { addressing } from './addressing.js';

const COLOR = { info: 'Default', warning: 'Warning', critical: 'Attention' } as const;

/**
 * Microsoft Teams through a Workflows webhook (the Office 365 connectors are retired): a
 * message with one Adaptive Card (1.4), title coloured by severity, the body, and a button
 * to the app when there is a link. Teams takes at most 28 KB; the body is cut well before.
 */
export const sender: Channel<TeamsTarget> = withSender(addressing, {
  async send(message, context) {
    const parts = renderParts(message, context.messages, context.now());
    const link = parts.placeholders['link'];
    const { labels } = parts.placeholders['t'] as { labels: { link: string } };
    const card = {
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
      body: [
        { type: 'TextBlock', text: parts.chat.title, weight: 'Bolder', size: 'Medium', wrap: true, color: COLOR[message.event.severity] },
        { type: 'TextBlock', text: clip(parts.chat.body, 16_000), wrap: true },
      ],
      ...(typeof link === 'string' ? { actions: [{ type: 'Action.OpenUrl', title: labels.link, url: link }] } : {}),
    };
    const call = {
      url: message.delivery.recipient,
      label: 'Teams workflow',
      body: JSON.stringify({
        type: 'message',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
      }),
    };
    return callProvider(call, context, (json) => json['error']?.message);
  },
});
