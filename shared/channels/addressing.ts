import type { z } from 'zod';
import type { ChannelName } from '../core/types.js';
import type { ChannelAddressing } from './channel.js';
import { discordAddressing, discordTarget } from './discord.js';
import { emailAddressing, emailTarget } from './email.js';
import { googleChatAddressing, googleChatTarget } from './google-chat.js';
import { gotifyAddressing, gotifyTarget } from './gotify.js';
import { mattermostAddressing, mattermostTarget } from './mattermost.js';
import { ntfyAddressing, ntfyTarget } from './ntfy.js';
import { onesignalAddressing, onesignalTarget } from './onesignal.js';
import { opsgenieAddressing, opsgenieTarget } from './opsgenie.js';
import { pagerdutyAddressing, pagerdutyTarget } from './pagerduty.js';
import { pushbulletAddressing, pushbulletTarget } from './pushbullet.js';
import { pusherBeamsAddressing, pusherBeamsTarget } from './pusher-beams.js';
import { pushoverAddressing, pushoverTarget } from './pushover.js';
import { rocketchatAddressing, rocketchatTarget } from './rocketchat.js';
import { slackAddressing, slackTarget } from './slack.js';
import { smsAddressing, smsTarget } from './sms.js';
import { teamsAddressing, teamsTarget } from './teams.js';
import { telegramAddressing, telegramTarget } from './telegram.js';
import { twilioSmsAddressing, twilioTarget, twilioVoiceAddressing, twilioWhatsappAddressing } from './twilio.js';
import { vonageAddressing, vonageTarget } from './vonage.js';
import { webPushAddressing, webPushTarget } from './web-push.js';
import { webhookAddressing, webhookTarget } from './webhook.js';

/**
 * Every channel's addressing, keyed by name: whom a notifier names, how it is shown. What
 * ingest, the sweeper and the API use, so that their bundles carry none of the senders (each
 * channel function, and local mode, loads its family's own: functions/<family>/family.ts).
 * Keyed by ChannelName, so a channel named in FAMILIES and missing here is a compile error.
 */
export const ADDRESSING: Record<ChannelName, ChannelAddressing<any>> = {
  email: emailAddressing,
  sms: smsAddressing,
  twilio_sms: twilioSmsAddressing,
  twilio_voice: twilioVoiceAddressing,
  twilio_whatsapp: twilioWhatsappAddressing,
  vonage: vonageAddressing,
  slack: slackAddressing,
  webhook: webhookAddressing,
  discord: discordAddressing,
  teams: teamsAddressing,
  google_chat: googleChatAddressing,
  mattermost: mattermostAddressing,
  rocketchat: rocketchatAddressing,
  telegram: telegramAddressing,
  ntfy: ntfyAddressing,
  gotify: gotifyAddressing,
  pushover: pushoverAddressing,
  onesignal: onesignalAddressing,
  pusher_beams: pusherBeamsAddressing,
  pushbullet: pushbulletAddressing,
  web_push: webPushAddressing,
  pagerduty: pagerdutyAddressing,
  opsgenie: opsgenieAddressing,
};

/** The schema of each channel's notifier target: the API's alone (esbuild leaves it, and zod, out of the bundles that never validate one). */
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
