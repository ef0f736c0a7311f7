import type { ChannelAddressing } from '../../channel.js';
import type { SmsTarget } from '../sms/target.js';
import { twilioAddressing } from '../twilio-addressing.js';

export const addressing: ChannelAddressing<SmsTarget> = twilioAddressing('twilio_sms');
