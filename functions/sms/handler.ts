import middy from '@middy/core';
import { freshProviderSettings, observability } from '../../shared/aws/lambda-middlewares.js';
import { installationSecretsOf } from '../../shared/aws/provider-settings.js';
import { channelFunction } from '../../shared/channel-function.js';
import { readConfig } from '../../shared/config.js';
import { channels, sendContext } from './family.js';

/** The sms function: the sms queue → its channels (family.ts). */
const config = readConfig();

export const handler = middy(channelFunction('sms', Object.values(channels), config, await sendContext(config)))
  .use(observability())
  .use(freshProviderSettings(installationSecretsOf(config)));
