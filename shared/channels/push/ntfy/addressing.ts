import type { ChannelAddressing } from '../../channel.js';
import type { NtfyTarget } from './target.js';

export const serverOf = (target: NtfyTarget, fallback?: string) => (target.serverUrl ?? fallback ?? 'https://ntfy.sh').replace(/\/$/, '');

export const addressing: ChannelAddressing<NtfyTarget> = {
  name: 'ntfy',
  settings: 'ntfy',
  recipients: (target) => [target.serverUrl ? `${serverOf(target)}/${target.topic}` : target.topic],
  maskTarget: (target) => ({ ...target, topic: `${target.topic.slice(0, 3)}****`, ...(target.token ? { token: 'tk_****' } : {}) }),
  maskRecipient: (recipient) => recipient.replace(/(^|\/)([^/]{0,3})[^/]*$/, '$1$2****'),
  endpoints: (target) => (target.serverUrl ? [{ field: 'serverUrl', url: target.serverUrl }] : []),
};
