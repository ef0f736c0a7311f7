import type { FamilySend } from '../../shared/channel-function.js';
import type { Config } from '../../shared/config.js';
import { slack } from '../../shared/channels/slack.js';

/** The slack function's channel: the notifier's incoming-webhook URL. */
export const channels = [slack];

/** What they send with (clients, provider accounts), on AWS and in local mode. */
export const sendContext = async (_config: Config): Promise<FamilySend> => ({});
