import type { Config } from '../config.js';
import type { ApiDeps, HttpApiDeps } from '../services/deps.js';
import { Authenticator } from '../services/auth.js';
import { AckLinks } from '../services/incidents.js';
import { snsVerifierOf } from '../services/inbound/sns-verifier.js';
import { installationSecretsOf } from './provider-settings.js';
import { heraldDeps, type AwsClients } from './wiring.js';

/**
 * The composition root of the api and ingest functions: the ports of wiring.ts, and what
 * only the HTTP API uses (who may call it, SNS's signatures for inbound sources, and for
 * the api the provider settings it checks notifiers against). Apart from wiring.ts so that
 * the sweeper's and the channel functions' bundles carry none of it.
 */

/** The ingest function's: the ports, and the admin key as it is now (freshAdminKey keeps it so). No provider settings: no ingest route reads them. */
export async function httpApiDeps(config: Config, clients: AwsClients = {}): Promise<HttpApiDeps> {
  const deps = heraldDeps(config, clients);
  const key = await installationSecretsOf(config).adminKey();
  return { ...deps, auth: new Authenticator(key, deps.keys), links: new AckLinks(key, config.publicUrl), sns: snsVerifierOf(config) };
}

/** The api function's: the same, and the provider settings as they are now (freshApiSecrets keeps them so). */
export async function apiDeps(config: Config, clients: AwsClients = {}): Promise<ApiDeps> {
  const [deps, providers] = await Promise.all([httpApiDeps(config, clients), installationSecretsOf(config).providers()]);
  return { ...deps, providers };
}
