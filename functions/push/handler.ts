import { channelFunction } from '../../shared/channel-function.js';
import { readConfig } from '../../shared/config.js';
import { channels, sendContext } from './family.js';

/** The push function: the push queue → its channels (family.ts). */
const config = readConfig();

export const handler = channelFunction('push', Object.values(channels), config, await sendContext(config));
