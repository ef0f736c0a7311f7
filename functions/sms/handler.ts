import { SNSClient } from '@aws-sdk/client-sns';
import { SnsSmsSender } from '../../shared/aws/sns-sms-sender.js';
import { channelFunction, providerClientConfig } from '../../shared/channel-function.js';
import { sms } from '../../shared/channels/sms.js';
import { readConfig } from '../../shared/config.js';

/** The sms function: the sms queue → SNS Publish. */
const config = readConfig();
const sns = new SNSClient(providerClientConfig(config, config.endpoints.sns));

export const handler = channelFunction('sms', [sms], config, { sms: new SnsSmsSender(sns) });
