import { loadProviderSettings } from '../../shared/aws/provider-settings.js';
import { snsSmsSender } from '../../shared/aws/wiring.js';
import type { FamilySend } from '../../shared/channel-function.js';
import type { FamilyChannels } from '../../shared/channels/channel.js';
import { sms } from '../../shared/channels/sms.js';
import { twilioSms, twilioVoice, twilioWhatsapp } from '../../shared/channels/twilio.js';
import { vonage } from '../../shared/channels/vonage.js';
import type { Config } from '../../shared/config.js';

/** The sms function's channels, by name: SNS Publish, Twilio (SMS, calls, WhatsApp) and Vonage: the channels that cost per message. */
export const channels: FamilyChannels<'sms'> = {
  sms,
  twilio_sms: twilioSms,
  twilio_voice: twilioVoice,
  twilio_whatsapp: twilioWhatsapp,
  vonage,
};

/** What they send with (clients, provider accounts), on AWS and in local mode. */
export const sendContext = async (config: Config): Promise<FamilySend> => ({
  sms: snsSmsSender(config),
  providers: await loadProviderSettings(config),
});
