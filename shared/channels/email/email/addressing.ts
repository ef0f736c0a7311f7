import type { ChannelAddressing } from '../../channel.js';
import type { EmailTarget } from './target.js';

export const addressing: ChannelAddressing<EmailTarget> = {
  name: 'email',
  recipients: (target) => target.to.map((a) => a.toLowerCase()),
  maskTarget: (target) => target,
  maskRecipient: (recipient) => recipient,
  endpoints: () => [],
};
