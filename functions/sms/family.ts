import { SNSClient } from '@aws-sdk/client-sns';
import { loadProviderSettings } from '../../shared/aws/provider-settings.js';
import { SnsSmsSender } from '../../shared/aws/sns-sms-sender.js';
import { providerClientConfig, type FamilySend } from '../../shared/channel-function.js';
import { sms } from '../../shared/channels/sms.js';
import { twilioSms, twilioVoice, twilioWhatsapp } from '../../shared/channels/twilio.js';
import { vonage } from '../../shared/channels/vonage.js';
import type { Config } from '../../shared/config.js';

/** The sms function's channels: SNS Publish, Twilio (SMS, calls, WhatsApp) and Vonage: the channels that cost per message. */
export const channels = [sms, twilioSms, twilioVoice, twilioWhatsapp, vonage];

/** What they send with (clients, provider accounts), on AWS and in local mode. */
export const sendContext = async (config: Config): Promise<FamilySend> => ({
  sms: new SnsSmsSender(new SNSClient(providerClientConfig(config, config.endpoints.sns))),
  providers: await loadProviderSettings(config),
});
