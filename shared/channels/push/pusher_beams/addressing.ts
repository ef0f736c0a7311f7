import type { ChannelAddressing } from '../../channel.js';
import type { PusherBeamsTarget } from './target.js';

export const addressing: ChannelAddressing<PusherBeamsTarget> = {
  name: 'pusher_beams',
  provider: 'pusherBeams',
  recipients: (target) => target.users,
  maskTarget: (target) => target,
  maskRecipient: (recipient) => recipient,
  endpoints: () => [],
};
