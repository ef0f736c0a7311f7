import { SNSClient } from '@aws-sdk/client-sns';
import { loadProviderSettings } from '../../shared/aws/provider-settings.js';
import { SnsSmsSender } from '../../shared/aws/sns-sms-sender.js';
import { channelFunction, providerClientConfig } from '../../shared/channel-function.js';
import { sms } from '../../shared/channels/sms.js';
import { twilioSms, twilioVoice, twilioWhatsapp } from '../../shared/channels/twilio.js';
import { vonage } from '../../shared/channels/vonage.js';
import { readConfig } from '../../shared/config.js';

/** The sms function: the sms queue → SNS Publish, Twilio (SMS, calls, WhatsApp) and Vonage: the channels that cost per message. */
const config = readConfig();
const sns = new SNSClient(providerClientConfig(config, config.endpoints.sns));

export const handler = channelFunction('sms', [sms, twilioSms, twilioVoice, twilioWhatsapp, vonage], config, {
  sms: new SnsSmsSender(sns),
  providers: await loadProviderSettings(config),
});
