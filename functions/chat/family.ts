import { loadProviderSettings } from '../../shared/aws/provider-settings.js';
import type { FamilySend } from '../../shared/channel-function.js';
import { channelParts } from '../../shared/channels/by-channel.js';
import type { FamilyChannels } from '../../shared/channels/channel.js';
import type { Config } from '../../shared/config.js';
import { FAMILIES } from '../../shared/core/types.js';

/** The chat function's channels, by name: those FAMILIES.chat names, each its shared/channels/chat/<name>/sender.ts. */
export const channels: FamilyChannels<'chat'> = await channelParts(
  FAMILIES.chat,
  'sender',
  // This family's folder only: the other families' senders stay out of this function's bundle.
  (_family, name) => import(`../../shared/channels/chat/${name}/sender.ts`),
);

/** What they send with (clients, provider accounts), on AWS and in local mode. */
export const sendContext = async (config: Config): Promise<FamilySend> => ({ providers: await loadProviderSettings(config) });
