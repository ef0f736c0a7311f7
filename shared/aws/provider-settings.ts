import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../config.js';
import { parseProviderSettings, type ProviderSettings } from '../providers.js';

/**
 * The installation's provider accounts: from the Secrets Manager secret when one is named
 * (AWS), else from the environment or file (local mode). Read once per cold start.
 */
export async function loadProviderSettings(config: Config): Promise<ProviderSettings> {
  if (!config.providersSecretArn) return config.providers;
  const client = new SecretsManagerClient({ region: config.region });
  const out = await client.send(new GetSecretValueCommand({ SecretId: config.providersSecretArn }));
  // A new secret holds `{}` until an operator fills it in.
  return out.SecretString ? parseProviderSettings(out.SecretString, 'the providers secret') : {};
}
