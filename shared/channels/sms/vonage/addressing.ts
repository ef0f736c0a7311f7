import type { ChannelAddressing } from '../../channel.js';
import { phoneRecipients } from '../phone-numbers.js';
import type { SmsTarget } from '../sms/target.js';

export const addressing: ChannelAddressing<SmsTarget> = { name: 'vonage', provider: 'vonage', ...phoneRecipients };
