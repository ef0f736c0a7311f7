import type { ChannelName } from '../core/types.js';
import type { ChannelAddressing } from './channel.js';
import { discordAddressing } from './discord.js';
import { emailAddressing } from './email.js';
import { googleChatAddressing } from './google-chat.js';
import { gotifyAddressing } from './gotify.js';
import { mattermostAddressing } from './mattermost.js';
import { ntfyAddressing } from './ntfy.js';
import { onesignalAddressing } from './onesignal.js';
import { opsgenieAddressing } from './opsgenie.js';
import { pagerdutyAddressing } from './pagerduty.js';
import { pushbulletAddressing } from './pushbullet.js';
import { pusherBeamsAddressing } from './pusher-beams.js';
import { pushoverAddressing } from './pushover.js';
import { rocketchatAddressing } from './rocketchat.js';
import { slackAddressing } from './slack.js';
import { smsAddressing } from './sms.js';
import { teamsAddressing } from './teams.js';
import { telegramAddressing } from './telegram.js';
import { twilioSmsAddressing, twilioVoiceAddressing, twilioWhatsappAddressing } from './twilio.js';
import { vonageAddressing } from './vonage.js';
import { webPushAddressing } from './web-push.js';
import { webhookAddressing } from './webhook.js';

/**
 * Every channel's addressing, keyed by name: whom a notifier names, how it is shown. What
 * ingest, the sweeper and the API use, so that their bundles carry none of the senders
 * (CHANNELS in index.ts: the channels with `send`, for the tests; local mode, like each channel
 * function, loads its family's own).
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
