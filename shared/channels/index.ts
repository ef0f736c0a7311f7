import type { z } from 'zod';
import type { ChannelName } from '../core/types.js';
import type { Channel } from './channel.js';
import { email, emailTarget } from './email.js';
import { slack, slackTarget } from './slack.js';
import { sms, smsTarget } from './sms.js';
import { webhook, webhookTarget } from './webhook.js';

/**
 * Every channel, keyed by name: a channel missing here, or missing a part, is a compile
 * error. Channel functions import their own channel file instead, to keep bundles small.
 */
export const CHANNELS: Record<ChannelName, Channel<any>> = { email, sms, slack, webhook };

/** The schema of each channel's notifier target. */
export const TARGETS: Record<ChannelName, z.ZodType<Record<string, unknown>>> = {
  email: emailTarget,
  sms: smsTarget,
  slack: slackTarget,
  webhook: webhookTarget,
};
