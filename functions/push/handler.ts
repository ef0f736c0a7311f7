import { loadProviderSettings } from '../../shared/aws/provider-settings.js';
import { channelFunction } from '../../shared/channel-function.js';
import { gotify } from '../../shared/channels/gotify.js';
import { ntfy } from '../../shared/channels/ntfy.js';
import { onesignal } from '../../shared/channels/onesignal.js';
import { pushbullet } from '../../shared/channels/pushbullet.js';
import { pusherBeams } from '../../shared/channels/pusher-beams.js';
import { pushover } from '../../shared/channels/pushover.js';
import { webPush } from '../../shared/channels/web-push.js';
import { readConfig } from '../../shared/config.js';

/** The push function: the push queue → ntfy, Gotify, Pushover, OneSignal, Pusher Beams, Pushbullet and Web Push. */
const config = readConfig();

export const handler = channelFunction('push', [ntfy, gotify, pushover, onesignal, pusherBeams, pushbullet, webPush], config, {
  providers: await loadProviderSettings(config),
});
