import { ADDRESSING } from '../channels/addressing.js';
import { checkOutboundUrl, OutboundRefused } from '../channels/outbound.js';
import type { ChannelName } from '../core/types.js';
import { ValidationError } from '../errors.js';
import type { ProviderSettings } from '../providers.js';
import type { ApiDeps } from './deps.js';

/** The provider setting a channel needs and this installation lacks, if any. */
export function missingSetting(name: ChannelName, providers: ProviderSettings): string | undefined {
  const channel = ADDRESSING[name];
  return channel.provider && !providers[channel.provider] ? channel.provider : channel.missingSetting?.(providers);
}

/**
 * A target must be one Herald can send to: every URL the channel says Herald will call
 * allowed by the outbound policy (on AWS: https, public addresses), and the provider it
 * sends through set up on this installation. `at` is where the channel and its target are in
 * the body ('' for a notifier, `channels[2].` for a contact's).
 */
export async function checkChannelTarget(
  deps: Pick<ApiDeps, 'outbound' | 'providers'>,
  name: ChannelName,
  target: Record<string, unknown>,
  at = '',
): Promise<void> {
  const missing = missingSetting(name, deps.providers);
  if (missing) {
    throw new ValidationError(`The ${name} channel needs the installation's ${missing} setting, which is not set`, [
      { path: `${at}channel`, message: `set "${missing}" in the provider settings (README, "Channels")` },
    ]);
  }
  for (const { field, url } of ADDRESSING[name].endpoints(target as never)) {
    try {
      await checkOutboundUrl(url, deps.outbound);
    } catch (err) {
      if (!(err instanceof OutboundRefused)) throw err;
      throw new ValidationError(`${at ? 'The contact' : 'The notifier'} cannot send there`, [
        { path: `${at}target.${field}`, message: err.message },
      ]);
    }
  }
}
