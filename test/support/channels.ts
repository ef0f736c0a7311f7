import type { Channel } from '../../shared/channels/channel.js';
import type { ChannelName } from '../../shared/core/types.js';
import { channels as chat } from '../../functions/chat/family.js';
import { channels as email } from '../../functions/email/family.js';
import { channels as incident } from '../../functions/incident/family.js';
import { channels as push } from '../../functions/push/family.js';
import { channels as slack } from '../../functions/slack/family.js';
import { channels as sms } from '../../functions/sms/family.js';
import { channels as webhook } from '../../functions/webhook/family.js';

/**
 * Every channel with its sender, by name: the families' own lists (functions/<family>/family.ts)
 * put together, for tests that send through any channel. No function loads them all.
 */
export const CHANNELS = { ...email, ...sms, ...slack, ...webhook, ...chat, ...push, ...incident } satisfies Record<
  ChannelName,
  Channel<any>
>;
