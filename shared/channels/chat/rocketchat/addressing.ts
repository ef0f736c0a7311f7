import type { ChannelAddressing } from '../../channel.js';
import { urlRecipient } from '../../channel.js';
import type { RocketchatTarget } from './target.js';

export const addressing: ChannelAddressing<RocketchatTarget> = {
  name: 'rocketchat',
  ...urlRecipient,
};
