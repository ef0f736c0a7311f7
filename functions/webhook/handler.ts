import { channelFunction } from '../../shared/channel-function.js';
import { webhook } from '../../shared/channels/webhook.js';
import { readConfig } from '../../shared/config.js';

/** The webhook function: the webhook queue → the receiver's URL, signed. */
export const handler = channelFunction('webhook', [webhook], readConfig(), {});
