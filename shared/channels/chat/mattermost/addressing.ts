import type { ChannelAddressing } from '../../channel.js';
import { urlRecipient } from '../../channel.js';
import type { MattermostTarget } from './target.js';

export const addressing: ChannelAddressing<MattermostTarget> = {
  name: 'mattermost',
  ...urlRecipient,
};
