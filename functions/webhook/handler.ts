import { channelFunction } from '../../shared/channel-function.js';
import { readConfig } from '../../shared/config.js';
import { channels, sendContext } from './family.js';

/** The webhook function: the webhook queue → its channels (family.ts). */
const config = readConfig();

export const handler = channelFunction('webhook', Object.values(channels), config, await sendContext(config));
