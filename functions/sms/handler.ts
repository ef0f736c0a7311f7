import { channelFunction } from '../../shared/channel-function.js';
import { readConfig } from '../../shared/config.js';
import { channels, sendContext } from './family.js';

/** The sms function: the sms queue → its channels (family.ts). */
const config = readConfig();

export const handler = channelFunction('sms', Object.values(channels), config, await sendContext(config));
