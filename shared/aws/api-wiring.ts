import type { Config } from '../config.js';
import type { ApiDeps } from '../services/deps.js';
import { Authenticator } from '../services/auth.js';
import { snsVerifierOf } from '../services/inbound/sns-verifier.js';
import { installationSecretsOf } from './provider-settings.js';
import { heraldDeps, type AwsClients } from './wiring.js';

/**
 * The composition root of the api and ingest functions: the ports of wiring.ts, and what
 * only the HTTP API uses (who may call it, the provider settings it checks notifiers
 * against, SNS's signatures for inbound sources). Apart from wiring.ts so that the sweeper's
 * and the channel functions' bundles carry none of it.
 */

/** The api function's: the same, the admin key and the provider settings as they are now (freshApiSecrets keeps them so). */
export async function apiDeps(config: Config, clients: AwsClients = {}): Promise<ApiDeps> {
  const deps = heraldDeps(config, clients);
  const secrets = installationSecretsOf(config);
  const [key, providers] = await Promise.all([secrets.adminKey(), secrets.providers()]);
  return { ...deps, providers, auth: new Authenticator(key, deps.keys), sns: snsVerifierOf(config) };
}
