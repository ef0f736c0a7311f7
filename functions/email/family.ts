import { sesEmailSender } from '../../shared/aws/wiring.js';
import type { FamilySend } from '../../shared/channel-function.js';
import type { FamilyChannels } from '../../shared/channels/channel.js';
import { email } from '../../shared/channels/email.js';
import type { Config } from '../../shared/config.js';

/** The email function's channels, by name: the email queue → SES. */
export const channels: FamilyChannels<'email'> = { email };

/** What they send with (clients, provider accounts), on AWS and in local mode. */
export const sendContext = async (config: Config): Promise<FamilySend> => ({
  email: sesEmailSender(config),
  emailFrom: config.emailFrom,
});
