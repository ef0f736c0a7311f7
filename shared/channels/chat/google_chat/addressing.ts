import type { ChannelAddressing } from '../../channel.js';
import { urlRecipient } from '../../channel.js';
import type { GoogleChatTarget } from './target.js';

export const addressing: ChannelAddressing<GoogleChatTarget> = {
  name: 'google_chat',
  ...urlRecipient,
};
