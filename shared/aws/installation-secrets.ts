import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { Config } from '../config.js';
import { parseProviderSettings, type ProviderSettings } from '../providers.js';
import { logger } from '../telemetry.js';

/**
 * How long a secret read from Secrets Manager is used before it is read again: a rotated
 * admin key or a provider's new token is in use within five minutes, without a redeploy,
 * for one GetSecretValue per function instance per five minutes ($0.05 per 10,000 calls).
 * Powertools' own setting, POWERTOOLS_PARAMETERS_MAX_AGE, overrides it (the tests: 1 s).
 */
export const SECRETS_MAX_AGE_SECONDS = 300;

/** What a function reads from the installation's secrets before each invocation. */
export interface InstallationSecrets {
  /** The admin key (the api and ingest: who may call the admin routes). */
  adminKey(): Promise<string>;
  /** The provider accounts (the api shows what is missing; the channel functions send with them). */
  providers(): Promise<ProviderSettings>;
}

/**
 * The installation's secrets: on AWS read through Powertools Parameters, cached for
 * SECRETS_MAX_AGE_SECONDS; in local mode the configuration's own values. A read that
 * fails once a value is known keeps the known one (logged): Secrets Manager being slow
 * for a moment must not stop deliveries or the API.
 */
export function installationSecrets(config: Config): InstallationSecrets {
  const store = config.adminKeySecretArn || config.providersSecretArn ? new SecretsStore(config) : undefined;
  let parsed: { text: string; settings: ProviderSettings } | undefined;
  /** A value found invalid, said once, not at every invocation. */
  let refused: string | undefined;
  return {
    async adminKey() {
      if (config.adminKey) return config.adminKey;
      if (!config.adminKeySecretArn || !store) throw new Error('Herald: set HERALD_ADMIN_KEY or HERALD_ADMIN_KEY_SECRET_ARN');
      const key = await store.read(config.adminKeySecretArn, 'the admin key secret');
      if (!key) throw new Error('Herald: the admin key secret is empty');
      return key;
    },
    async providers() {
      if (!config.providersSecretArn || !store) return config.providers;
      // A new secret holds `{}` until an operator fills it in.
      const text = (await store.read(config.providersSecretArn, 'the providers secret')) || '{}';
      // Checked once per new value, not at every invocation.
      if (parsed?.text === text || (parsed && refused === text)) return parsed.settings;
      try {
        parsed = { text, settings: parseProviderSettings(text, 'the providers secret') };
      } catch (err) {
        // A bad edit of the secret must not stop what runs on the settings read before: keep them, say why.
        if (!parsed) throw err;
        refused = text;
        logger.error('the providers secret is not valid: using the settings read before', { error: err as Error });
        return parsed.settings;
      }
      return parsed.settings;
    },
  };
}

/** Secrets Manager through Powertools' cache, keeping the last value known when a refresh fails. */
class SecretsStore {
  private readonly provider: SecretsProvider;
  private readonly known = new Map<string, string>();

  constructor(config: Config) {
    this.provider = new SecretsProvider({ clientConfig: { region: config.region } });
  }

  async read(arn: string, what: string): Promise<string | undefined> {
    // Given no maxAge, Powertools reads POWERTOOLS_PARAMETERS_MAX_AGE itself.
    const maxAge = process.env['POWERTOOLS_PARAMETERS_MAX_AGE'] ? undefined : SECRETS_MAX_AGE_SECONDS;
    try {
      const value = await this.provider.get(arn, maxAge === undefined ? {} : { maxAge });
      const text = typeof value === 'string' ? value : value === undefined ? undefined : Buffer.from(value).toString('utf8');
      if (text !== undefined) this.known.set(arn, text);
      return text;
    } catch (err) {
      const known = this.known.get(arn);
      if (known === undefined) throw err;
      logger.warn(`could not read ${what} again: using the value read before`, { error: err as Error });
      return known;
    }
  }
}
