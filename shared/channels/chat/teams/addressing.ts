import type { ChannelAddressing } from '../../channel.js';
import { urlRecipient } from '../../channel.js';
import type { TeamsTarget } from './target.js';

export const addressing: ChannelAddressing<TeamsTarget> = {
  name: 'teams',
  ...urlRecipient,
};
