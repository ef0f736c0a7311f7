import type { FamilyModule } from '../../infra/local/local-services.js';
import type { Channel } from '../../shared/channels/channel.js';
import { FAMILY_NAMES, type ChannelName } from '../../shared/core/types.js';

const families = await Promise.all(FAMILY_NAMES.map((family): Promise<FamilyModule> => import(`../../functions/${family}/family.ts`)));

/**
 * Every channel with its sender, by name: the families' own lists (functions/<family>/family.ts)
 * put together, for tests that send through any channel. No function loads them all.
 */
export const CHANNELS: Record<ChannelName, Channel<any>> = Object.assign({}, ...families.map((f) => f.channels));
