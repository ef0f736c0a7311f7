import type { ChannelAddressing } from '../../channel.js';
import { maskSecret } from '../../channel.js';
import type { PushbulletTarget } from './target.js';

export const addressing: ChannelAddressing<PushbulletTarget> = {
  name: 'pushbullet',
  settings: 'pushbullet',
  recipients: (target) => [target.accessToken],
  maskTarget: (target) => ({ ...target, accessToken: maskSecret(target.accessToken) }),
  maskRecipient: maskSecret,
  endpoints: () => [],
};
