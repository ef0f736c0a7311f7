import type { z } from 'zod';
import type { ChannelName } from '../core/types.js';
import type { Channel } from './channel.js';
import { discord, discordTarget } from './discord.js';
import { email, emailTarget } from './email.js';
import { googleChat, googleChatTarget } from './google-chat.js';
import { mattermost, mattermostTarget } from './mattermost.js';
import { rocketchat, rocketchatTarget } from './rocketchat.js';
import { slack, slackTarget } from './slack.js';
import { sms, smsTarget } from './sms.js';
import { teams, teamsTarget } from './teams.js';
import { telegram, telegramTarget } from './telegram.js';
import { webhook, webhookTarget } from './webhook.js';

/**
 * Every channel, keyed by name: a channel missing here, or missing a part, is a compile
 * error. Channel functions import their own channel file instead, to keep bundles small.
 */
export const CHANNELS: Record<ChannelName, Channel<any>> = {
  email,
  sms,
  slack,
  webhook,
  discord,
  teams,
  google_chat: googleChat,
  mattermost,
  rocketchat,
  telegram,
};

/** The schema of each channel's notifier target. */
export const TARGETS: Record<ChannelName, z.ZodType<Record<string, unknown>>> = {
  email: emailTarget,
  sms: smsTarget,
  slack: slackTarget,
  webhook: webhookTarget,
  discord: discordTarget,
  teams: teamsTarget,
  google_chat: googleChatTarget,
  mattermost: mattermostTarget,
  rocketchat: rocketchatTarget,
  telegram: telegramTarget,
};
