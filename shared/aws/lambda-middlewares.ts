import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ProviderSettings } from '../providers.js';
import type { ApiDeps, HttpApiDeps } from '../services/deps.js';
import { logger, metrics } from '../telemetry.js';
import type { InstallationSecrets } from './installation-secrets.js';

/**
 * The middy middlewares Herald's functions are composed of (functions/<name>/handler.ts):
 * each handler is `middy(what it does)` with these around it, so that what every
 * invocation gets (its context in the logs, its metrics flushed, fresh secrets) is said
 * once, and the function itself stays a plain async function the tests call directly.
 */

/**
 * Every function's: Powertools' logger gets the Lambda context (function_request_id,
 * cold_start, function_name... in every line the invocation writes, keys it appended
 * dropped after it), and the metrics are flushed once at its end, with a ColdStart metric
 * on the first.
 */
export const observability = (): MiddlewareObj[] => [
  injectLambdaContext(logger, { resetKeys: true }) as MiddlewareObj,
  logMetrics(metrics, { captureColdStartMetric: true }) as MiddlewareObj,
];

/** The Lambda context, as a channel function reads it: with the provider settings of this invocation. */
export interface ChannelContext extends Context {
  providers?: ProviderSettings;
}

/**
 * A channel function's: the provider settings read before each invocation (cached:
 * SECRETS_MAX_AGE_SECONDS) and put in its context, so that a rotated token is used
 * without a redeploy (middy's way, as its secrets middleware's `setToContext`).
 */
export const freshProviderSettings = (secrets: InstallationSecrets): MiddlewareObj<unknown, unknown, Error, ChannelContext> => ({
  before: async (request) => {
    request.context.providers = await secrets.providers();
  },
});

/**
 * Ingest's: the admin key read before each invocation (cached), into the authenticator the
 * routes use: a rotated admin key is the only one accepted within SECRETS_MAX_AGE_SECONDS.
 * One request at a time per instance on Lambda.
 */
export const freshAdminKey = (secrets: InstallationSecrets, deps: Pick<HttpApiDeps, 'auth' | 'links'>): MiddlewareObj => ({
  before: async () => {
    const adminKey = await secrets.adminKey();
    deps.auth.useAdminKey(adminKey);
    deps.links?.useSecret(adminKey);
  },
});

/** The api's: the admin key as ingest's, and the provider settings its notifier routes check against (cached alike). */
export const freshApiSecrets = (secrets: InstallationSecrets, deps: ApiDeps): MiddlewareObj => ({
  before: async () => {
    const [adminKey, providers] = await Promise.all([secrets.adminKey(), secrets.providers()]);
    deps.auth.useAdminKey(adminKey);
    deps.links?.useSecret(adminKey);
    deps.providers = providers;
  },
});
