import type { ChannelAddressing } from '../../channel.js';
import { maskSecret } from '../../channel.js';
import type { PagerdutyTarget } from './target.js';

export const addressing: ChannelAddressing<PagerdutyTarget> = {
  name: 'pagerduty',
  settings: 'pagerduty',
  recipients: (target) => [target.routingKey],
  maskTarget: (target) => ({ routingKey: maskSecret(target.routingKey) }),
  maskRecipient: maskSecret,
  endpoints: () => [],
};
