import type { Config } from '../config.js';
import type { ProviderSettings } from '../providers.js';
import { installationSecrets, type InstallationSecrets } from './installation-secrets.js';

const secretsOf = new WeakMap<Config, InstallationSecrets>();

/**
 * The installation's secrets for a configuration, one reader per process: what a function
 * reads at its start and what its middlewares read again before each invocation share
 * Powertools' cache.
 */
export function installationSecretsOf(config: Config): InstallationSecrets {
  let secrets = secretsOf.get(config);
  if (!secrets) secretsOf.set(config, (secrets = installationSecrets(config)));
  return secrets;
}

/**
 * The installation's provider accounts: from the Secrets Manager secret when one is named
 * (AWS), else from the environment or file (local mode).
 */
export const loadProviderSettings = (config: Config): Promise<ProviderSettings> => installationSecretsOf(config).providers();
