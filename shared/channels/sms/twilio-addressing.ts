import type { ProviderSettings } from '../../providers.js';
import type { ChannelAddressing } from '../channel.js';
import { phoneRecipients } from './phone-numbers.js';
import type { SmsTarget } from './sms/target.js';

/** Twilio's three channels, which share its account and code: twilio_sms/, twilio_voice/, twilio_whatsapp/ name this. */
export type TwilioChannel = 'twilio_sms' | 'twilio_voice' | 'twilio_whatsapp';

/** The number a channel sends from: WhatsApp's sender (else the account's number), or the account's number. */
export const senderOf = (name: string, settings: ProviderSettings['twilio']): string | undefined =>
  name === 'twilio_whatsapp' ? (settings?.whatsappFrom ?? settings?.from) : settings?.from;

/** Each Twilio channel names the target's numbers; WhatsApp needs a sender of its own, or the account's. */
export function twilioAddressing(name: TwilioChannel): ChannelAddressing<SmsTarget> {
  return {
    name,
    provider: 'twilio',
    ...phoneRecipients,
    missingSetting: (providers) =>
      senderOf(name, providers.twilio) ? undefined : name === 'twilio_whatsapp' ? 'twilio.whatsappFrom' : 'twilio.from',
  };
}
