import { channelFunction } from '../../shared/channel-function.js';
import { slack } from '../../shared/channels/slack.js';
import { readConfig } from '../../shared/config.js';

/** The slack function: the slack queue → the notifier's incoming-webhook URL. */
export const handler = channelFunction('slack', [slack], readConfig(), {});
