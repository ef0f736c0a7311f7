import type { ChannelName } from '../core/types.js';
import type { Channel } from './channel.js';
import { email } from './email.js';
import { slack } from './slack.js';
import { sms } from './sms.js';
import { webhook } from './webhook.js';

/**
 * Every channel, keyed by name: a channel missing here, or missing a part, is a compile
 * error. Channel functions import their own channel file instead, to keep bundles small.
 */
export const CHANNELS: Record<ChannelName, Channel<any>> = { email, sms, slack, webhook };
