import type { FamilySend } from '../../shared/channel-function.js';
import type { FamilyChannels } from '../../shared/channels/channel.js';
import type { Config } from '../../shared/config.js';
import { slack } from '../../shared/channels/slack.js';

/** The slack function's channels, by name: the notifier's incoming-webhook URL. */
export const channels: FamilyChannels<'slack'> = { slack };

/** What they send with (clients, provider accounts), on AWS and in local mode. */
export const sendContext = async (_config: Config): Promise<FamilySend> => ({});
