import type { FamilySend } from '../../shared/channel-function.js';
import type { FamilyChannels } from '../../shared/channels/channel.js';
import type { Config } from '../../shared/config.js';
import { webhook } from '../../shared/channels/webhook.js';

/** The webhook function's channels, by name: the receiver's URL, signed. */
export const channels: FamilyChannels<'webhook'> = { webhook };

/** What they send with (clients, provider accounts), on AWS and in local mode. */
export const sendContext = async (_config: Config): Promise<FamilySend> => ({});
