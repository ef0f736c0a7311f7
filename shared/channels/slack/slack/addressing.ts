import type { ChannelAddressing } from '../../channel.js';
import { urlRecipient } from '../../channel.js';
import type { SlackTarget } from './target.js';

export const addressing: ChannelAddressing<SlackTarget> = {
  name: 'slack',
  ...urlRecipient,
};
