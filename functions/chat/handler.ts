import { loadProviderSettings } from '../../shared/aws/provider-settings.js';
import { channelFunction } from '../../shared/channel-function.js';
import { discord } from '../../shared/channels/discord.js';
import { googleChat } from '../../shared/channels/google-chat.js';
import { mattermost } from '../../shared/channels/mattermost.js';
import { rocketchat } from '../../shared/channels/rocketchat.js';
import { teams } from '../../shared/channels/teams.js';
import { telegram } from '../../shared/channels/telegram.js';
import { readConfig } from '../../shared/config.js';

/** The chat function: the chat queue → Discord, Teams, Google Chat, Mattermost, Rocket.Chat and Telegram. */
const config = readConfig();

export const handler = channelFunction('chat', [discord, teams, googleChat, mattermost, rocketchat, telegram], config, {
  providers: await loadProviderSettings(config),
});
