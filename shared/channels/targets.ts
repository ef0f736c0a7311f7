import type { z } from 'zod';
import { CHANNEL_NAMES, type ChannelName } from '../core/types.js';
import { channelParts } from './by-channel.js';

/**
 * The schema of each channel's notifier target (`shared/channels/<family>/<name>/target.ts`):
 * the API's alone. A module of its own, which no other function imports, so that their
 * bundles leave the schemas, and zod and libphonenumber with them, out.
 */
export const TARGETS: Record<ChannelName, z.ZodType<Record<string, unknown>>> = await channelParts(
  CHANNEL_NAMES,
  'target',
  (family, name) => import(`./${family}/${name}/target.ts`),
);
