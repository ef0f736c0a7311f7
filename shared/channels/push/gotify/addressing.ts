import type { ChannelAddressing } from '../../channel.js';
import { maskUrl } from '../../channel.js';
import type { GotifyTarget } from './target.js';

export const addressing: ChannelAddressing<GotifyTarget> = {
  name: 'gotify',
  recipients: (target) => [`${target.serverUrl.replace(/\/$/, '')}/message?token=${target.appToken}`],
  maskTarget: (target) => ({ ...target, appToken: 'A****' }),
  maskRecipient: maskUrl,
  endpoints: (target) => [{ field: 'serverUrl', url: target.serverUrl }],
};
