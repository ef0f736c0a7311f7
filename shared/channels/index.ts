import type { z } from 'zod';
import type { ChannelName } from '../core/types.js';
import type { Channel } from './channel.js';
import { discord, discordTarget } from './discord.js';
import { email, emailTarget } from './email.js';
import { googleChat, googleChatTarget } from './google-chat.js';
import { gotify, gotifyTarget } from './gotify.js';
import { mattermost, mattermostTarget } from './mattermost.js';
import { ntfy, ntfyTarget } from './ntfy.js';
import { onesignal, onesignalTarget } from './onesignal.js';
import { opsgenie, opsgenieTarget } from './opsgenie.js';
import { pagerduty, pagerdutyTarget } from './pagerduty.js';
import { pushbullet, pushbulletTarget } from './pushbullet.js';
import { pusherBeams, pusherBeamsTarget } from './pusher-beams.js';
import { pushover, pushoverTarget } from './pushover.js';
import { rocketchat, rocketchatTarget } from './rocketchat.js';
import { slack, slackTarget } from './slack.js';
import { sms, smsTarget } from './sms.js';
import { teams, teamsTarget } from './teams.js';
import { telegram, telegramTarget } from './telegram.js';
import { twilioSms, twilioTarget, twilioVoice, twilioWhatsapp } from './twilio.js';
import { vonage, vonageTarget } from './vonage.js';
import { webPush, webPushTarget } from './web-push.js';
import { webhook, webhookTarget } from './webhook.js';

/**
 * Every channel, keyed by name: a channel missing here, or missing a part, is a compile
 * error. Channel functions import their own family's channel files instead, and the API,
 * ingest and the sweeper only the channels' addressing (ADDRESSING), to keep bundles small.
 */
export const CHANNELS: Record<ChannelName, Channel<any>> = {
  email,
  sms,
  twilio_sms: twilioSms,
  twilio_voice: twilioVoice,
  twilio_whatsapp: twilioWhatsapp,
  vonage,
  slack,
  webhook,
  discord,
  teams,
  google_chat: googleChat,
  mattermost,
  rocketchat,
  telegram,
  ntfy,
  gotify,
  pushover,
  onesignal,
  pusher_beams: pusherBeams,
  pushbullet,
  web_push: webPush,
  pagerduty,
  opsgenie,
};

/** The schema of each channel's notifier target. */
export const TARGETS: Record<ChannelName, z.ZodType<Record<string, unknown>>> = {
  email: emailTarget,
  sms: smsTarget,
  twilio_sms: twilioTarget,
  twilio_voice: twilioTarget,
  twilio_whatsapp: twilioTarget,
  vonage: vonageTarget,
  slack: slackTarget,
  webhook: webhookTarget,
  discord: discordTarget,
  teams: teamsTarget,
  google_chat: googleChatTarget,
  mattermost: mattermostTarget,
  rocketchat: rocketchatTarget,
  telegram: telegramTarget,
  ntfy: ntfyTarget,
  gotify: gotifyTarget,
  pushover: pushoverTarget,
  onesignal: onesignalTarget,
  pusher_beams: pusherBeamsTarget,
  pushbullet: pushbulletTarget,
  web_push: webPushTarget,
  pagerduty: pagerdutyTarget,
  opsgenie: opsgenieTarget,
};
