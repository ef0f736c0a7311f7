import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesEmailSender } from '../../shared/aws/ses-email-sender.js';
import { channelFunction, providerClientConfig } from '../../shared/channel-function.js';
import { email } from '../../shared/channels/email.js';
import { readConfig } from '../../shared/config.js';

/** The email function: the email queue → SES. */
const config = readConfig();
const ses = new SESv2Client(providerClientConfig(config, config.endpoints.ses));

export const handler = channelFunction('email', [email], config, { email: new SesEmailSender(ses), emailFrom: config.emailFrom });
