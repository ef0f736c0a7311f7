import { loadProviderSettings } from '../../shared/aws/provider-settings.js';
import type { FamilySend } from '../../shared/channel-function.js';
import type { FamilyChannels } from '../../shared/channels/channel.js';
import { discord } from '../../shared/channels/discord.js';
import { googleChat } from '../../shared/channels/google-chat.js';
import { mattermost } from '../../shared/channels/mattermost.js';
import { rocketchat } from '../../shared/channels/rocketchat.js';
import { teams } from '../../shared/channels/teams.js';
import { telegram } from '../../shared/channels/telegram.js';
import type { Config } from '../../shared/config.js';

/** The chat function's channels, by name: Discord, Teams, Google Chat, Mattermost, Rocket.Chat and Telegram. */
export const channels: FamilyChannels<'chat'> = { discord, teams, google_chat: googleChat, mattermost, rocketchat, telegram };

/** What they send with (clients, provider accounts), on AWS and in local mode. */
export const sendContext = async (config: Config): Promise<FamilySend> => ({ providers: await loadProviderSettings(config) });
