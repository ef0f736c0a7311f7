import middy from '@middy/core';
import { observability } from '../../shared/aws/lambda-middlewares.js';
import { channelFunction } from '../../shared/channel-function.js';
import { readConfig } from '../../shared/config.js';
import { channels, sendContext } from './family.js';

/** The email function: the email queue → its channels (family.ts). */
const config = readConfig();

export const handler = middy(channelFunction('email', Object.values(channels), config, await sendContext(config))).use(observability());
