import type { ChannelAddressing } from '../../channel.js';
import { urlRecipient } from '../../channel.js';
import type { DiscordTarget } from './target.js';

export const addressing: ChannelAddressing<DiscordTarget> = {
  name: 'discord',
  ...urlRecipient,
};
