import type { ChannelAddressing } from '../../channel.js';
import type { OnesignalTarget } from './target.js';

export const addressing: ChannelAddressing<OnesignalTarget> = {
  name: 'onesignal',
  provider: 'onesignal',
  recipients: (target) => target.externalIds,
  maskTarget: (target) => target,
  maskRecipient: (recipient) => recipient,
  endpoints: () => [],
};
