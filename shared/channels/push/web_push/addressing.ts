import type { ChannelAddressing } from '../../channel.js';
import { maskUrl } from '../../channel.js';
import type { WebPushTarget } from './target.js';

export const addressing: ChannelAddressing<WebPushTarget> = {
  name: 'web_push',
  provider: 'webPush',
  recipients: (target) => target.subscriptions.map((s) => s.endpoint),
  maskTarget: (target) => ({
    subscriptions: target.subscriptions.map((s) => ({ endpoint: maskUrl(s.endpoint), keys: { p256dh: '****', auth: '****' } })),
  }),
  maskRecipient: maskUrl,
  endpoints: (target) => target.subscriptions.map((s, i) => ({ field: `subscriptions.${i}.endpoint`, url: s.endpoint })),
};
