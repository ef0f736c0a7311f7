import middy from '@middy/core';
import { observability } from '../../shared/aws/lambda-middlewares.js';
import { channelFunction } from '../../shared/channel-function.js';
import { readConfig } from '../../shared/config.js';
import { channels, sendContext } from './family.js';

/** The slack function: the slack queue → its channels (family.ts). */
const config = readConfig();

export const handler = middy(channelFunction('slack', Object.values(channels), config, await sendContext(config))).use(observability());
