import { CHANNEL_NAMES, type ChannelName } from '../core/types.js';
import { channelParts } from './by-channel.js';
import type { ChannelAddressing } from './channel.js';

/**
 * Every channel's addressing, keyed by name: whom a notifier names, how it is shown. What
 * ingest, the sweeper and the API use, so that their bundles carry none of the senders (each
 * channel function, and local mode, loads its family's own: functions/<family>/family.ts).
 * Built from FAMILIES: each channel's `shared/channels/<family>/<name>/addressing.ts`.
 */
export const ADDRESSING: Record<ChannelName, ChannelAddressing<any>> = await channelParts(
  CHANNEL_NAMES,
  'addressing',
  (family, name) => import(`./${family}/${name}/addressing.ts`),
);
