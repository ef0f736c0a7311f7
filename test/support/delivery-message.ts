import type { Channel } from '../../shared/channels/channel.js';
import { CHANNELS } from './channels.js';
import type { ChannelName, DeliveryMessage, HeraldEvent } from '../../shared/core/types.js';

let sequence = 0;

/**
 * A delivery message as a channel's queue carries it: an event of the app `shop` (a crash,
 * unless `event` says otherwise) for the target's first recipient, with fresh ids.
 */
export function deliveryMessage(
  channel: ChannelName,
  target: Record<string, unknown>,
  event: Partial<HeraldEvent> = {},
  recipient?: string,
): DeliveryMessage {
  const id = `evt_${String(++sequence).padStart(6, '0')}`;
  return {
    v: 1,
    delivery: {
      id: `dlv_${sequence}`,
      eventId: id,
      appId: 'shop',
      notifierId: 'ntf_1',
      channel,
      recipient: recipient ?? ((CHANNELS[channel] as Channel<any>).recipients(target)[0] as string),
    },
    event: {
      id,
      appId: 'shop',
      type: 'app_crashed',
      severity: 'critical',
      title: 'Web process crashed',
      message: 'Exit code 137 (out of memory)',
      occurredAt: '2026-11-24T09:59:00.000Z',
      receivedAt: '2026-11-24T09:59:01.000Z',
      ...event,
    },
    app: { id: 'shop', name: 'Shop', metadata: { url: 'https://shop.example.com' } },
    notifier: { id: 'ntf_1', name: 'n', target },
  };
}
