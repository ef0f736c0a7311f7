import { loadProviderSettings } from '../../shared/aws/provider-settings.js';
import type { FamilySend } from '../../shared/channel-function.js';
import type { FamilyChannels } from '../../shared/channels/channel.js';
import { gotify } from '../../shared/channels/gotify.js';
import { ntfy } from '../../shared/channels/ntfy.js';
import { onesignal } from '../../shared/channels/onesignal.js';
import { pushbullet } from '../../shared/channels/pushbullet.js';
import { pusherBeams } from '../../shared/channels/pusher-beams.js';
import { pushover } from '../../shared/channels/pushover.js';
import { webPush } from '../../shared/channels/web-push.js';
import type { Config } from '../../shared/config.js';

/** The push function's channels, by name: ntfy, Gotify, Pushover, OneSignal, Pusher Beams, Pushbullet and Web Push. */
export const channels: FamilyChannels<'push'> = {
  ntfy,
  gotify,
  pushover,
  onesignal,
  pusher_beams: pusherBeams,
  pushbullet,
  web_push: webPush,
};

/** What they send with (clients, provider accounts), on AWS and in local mode. */
export const sendContext = async (config: Config): Promise<FamilySend> => ({ providers: await loadProviderSettings(config) });
