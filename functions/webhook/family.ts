import type { FamilySend } from '../../shared/channel-function.js';
import type { Config } from '../../shared/config.js';
import { webhook } from '../../shared/channels/webhook.js';

/** The webhook function's channel: the receiver's URL, signed. */
export const channels = [webhook];

/** What they send with (clients, provider accounts), on AWS and in local mode. */
export const sendContext = async (_config: Config): Promise<FamilySend> => ({});
