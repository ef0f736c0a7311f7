import type { ChannelAddressing } from '../../channel.js';
import { maskSecret } from '../../channel.js';
import type { OpsgenieTarget } from './target.js';

export const addressing: ChannelAddressing<OpsgenieTarget> = {
  name: 'opsgenie',
  settings: 'opsgenie',
  recipients: (target) => [`${target.region ?? 'us'}:${target.apiKey}`],
  maskTarget: (target) => ({ ...target, apiKey: maskSecret(target.apiKey) }),
  maskRecipient: (recipient) => maskSecret(recipient.slice(3)),
  endpoints: () => [],
};
