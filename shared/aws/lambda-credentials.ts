import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * The AWS SDK's default credential provider in Herald's function bundles: infra/bundling.ts
 * puts this file in place of `@aws-sdk/credential-provider-node`. Lambda hands a function its
 * role's credentials in its environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), the first place the SDK's chain looks, read here by the SDK's own
 * `fromEnv`; the rest of the chain (profiles, SSO, web identity, processes, instance
 * metadata, with their own SDK clients) is never reached there, yet its 130 KiB were compiled
 * at every cold start (a fifth of the import of a function's SDK and Powertools alone).
 * Local mode and the tests run the sources, with the whole chain.
 */
export const defaultProvider = () => fromEnv();
