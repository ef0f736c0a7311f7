import { renderParts } from '../../../core/messages/render.js';
import type { Channel } from '../../channel.js';
import { clip, providerSettings, withSender } from '../../channel.js';
import { callProvider } from '../../http-post.js';
import type { PushoverTarget } from './target.js';
import { addressing } from './addressing.js';

/**
 * Pushover through the installation's application (`pushover.appToken`): title (250),
 * message (1024), priority 0 / 1 / 1 for info / warning / critical, or 2 (emergency, with
 * retry and expire) for critical events when the notifier asks for it.
 */
export const sender: Channel<PushoverTarget> = withSender(addressing, {
  async send(message, context) {
    const settings = providerSettings(context, 'pushover');
    const target = message.notifier.target as PushoverTarget;
    const parts = renderParts(message, context.messages, context.now());
    const link = parts.placeholders['link'];
    const emergency = message.event.severity === 'critical' && target.emergency;
    const call = {
      url: `${(settings.apiUrl ?? 'https://api.pushover.net').replace(/\/$/, '')}/1/messages.json`,
      label: 'Pushover messages',
      body: JSON.stringify({
        token: settings.appToken,
        user: message.delivery.recipient,
        title: clip(parts.chat.title, 250),
        message: clip(parts.chat.body, 1024),
        timestamp: Math.floor(Date.parse(message.event.occurredAt) / 1000),
        priority: emergency ? 2 : message.event.severity === 'info' ? 0 : 1,
        ...(emergency ? { retry: emergency.retrySeconds, expire: emergency.expireSeconds } : {}),
        ...(typeof link === 'string' ? { url: clip(link, 512) } : {}),
        ...(target.device ? { device: target.device } : {}),
        ...(target.sound ? { sound: target.sound } : {}),
      }),
    };
    return callProvider(call, context, (json) => json['errors']?.join('; '));
  },
});
