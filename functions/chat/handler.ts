import { channelFunction } from '../../shared/channel-function.js';
import { readConfig } from '../../shared/config.js';
import { channels, sendContext } from './family.js';

/** The chat function: the chat queue → its channels (family.ts). */
const config = readConfig();

export const handler = channelFunction('chat', Object.values(channels), config, await sendContext(config));
