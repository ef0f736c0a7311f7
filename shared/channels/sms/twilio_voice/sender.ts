import type { Channel } from '../../channel.js';
import type { SmsTarget } from '../sms/target.js';
import { twilioChannel } from '../twilio-sender.js';
import { addressing } from './addressing.js';

export const sender: Channel<SmsTarget> = twilioChannel(addressing);
