import { CHANNEL_NAMES, familyOf } from '../core/types.js';
import { ADDRESSING } from '../channels/addressing.js';
import type { ApiDeps } from './deps.js';
import { missingSetting } from './channel-targets.js';

/**
 * What this installation offers a surface such as the console: each channel, and whether
 * it can be used here (its provider set up, or what it lacks); the VAPID public key that
 * browsers subscribe to Web Push with; the languages of its messages.
 */
export function installation(deps: Pick<ApiDeps, 'providers' | 'outbound'>) {
  return {
    channels: CHANNEL_NAMES.map((name) => {
      const missing = missingSetting(name, deps.providers);
      return {
        name,
        family: familyOf(name),
        ...(ADDRESSING[name].provider ? { provider: ADDRESSING[name].provider } : {}),
        ready: !missing,
        ...(missing ? { missing } : {}),
      };
    }),
    webPush: deps.providers.webPush ? { publicKey: deps.providers.webPush.publicKey } : null,
    locales: ['en', 'de', 'fr'],
    local: deps.outbound.allowPrivate,
  };
}
