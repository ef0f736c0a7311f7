import type { ChannelAddressing } from '../../channel.js';
import { phoneRecipients } from '../phone-numbers.js';
import type { SmsTarget } from './target.js';

export const addressing: ChannelAddressing<SmsTarget> = { name: 'sms', ...phoneRecipients };
