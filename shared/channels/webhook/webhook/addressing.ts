import type { ChannelAddressing } from '../../channel.js';
import { maskUrl } from '../../channel.js';
import type { WebhookTarget } from './target.js';

export const addressing: ChannelAddressing<WebhookTarget> = {
  name: 'webhook',
  recipients: (target) => [target.url],
  maskTarget: (target) => ({
    url: maskUrl(target.url),
    ...(target.secret ? { secret: 'whsec_****' } : {}),
    ...(target.previousSecrets?.length
      ? { previousSecrets: target.previousSecrets.map((p) => ({ secret: 'whsec_****', until: p.until })) }
      : {}),
    ...(target.headers ? { headers: Object.fromEntries(Object.keys(target.headers).map((h) => [h, '****'])) } : {}),
  }),
  maskRecipient: maskUrl,
  endpoints: (target) => [{ field: 'url', url: target.url }],
};
