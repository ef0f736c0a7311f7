import type { ChannelAddressing } from '../../channel.js';
import type { TelegramTarget } from './target.js';

export const addressing: ChannelAddressing<TelegramTarget> = {
  name: 'telegram',
  provider: 'telegram',
  recipients: (target) => [target.chatId],
  maskTarget: (target) => target,
  maskRecipient: (recipient) => recipient,
  endpoints: () => [],
};
