import type { ChannelAddressing } from '../../channel.js';
import { maskSecret } from '../../channel.js';
import type { PushoverTarget } from './target.js';

export const addressing: ChannelAddressing<PushoverTarget> = {
  name: 'pushover',
  provider: 'pushover',
  recipients: (target) => [target.userKey],
  maskTarget: (target) => ({ ...target, userKey: maskSecret(target.userKey) }),
  maskRecipient: maskSecret,
  endpoints: () => [],
};
