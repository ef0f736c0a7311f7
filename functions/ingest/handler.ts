import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import { freshAdminKey, observability } from '../../shared/aws/lambda-middlewares.js';
import { installationSecretsOf } from '../../shared/aws/provider-settings.js';
import { httpApiDeps } from '../../shared/aws/api-wiring.js';
import { readConfig } from '../../shared/config.js';
import { createHttpApi } from '../api/http-api.js';
import { ingestRoutes } from '../api/ingest-routes.js';

/**
 * The ingest function: API Gateway's routes for apps' ingest keys (INGEST_ROUTES: posting
 * events and heartbeats, the catalog, whoami) → the same HTTP API as the api function's, with
 * only those routes, so that its bundle and its cold start carry none of the admin API.
 */
const config = readConfig();
const deps = await httpApiDeps(config);

export const handler = middy(handle(createHttpApi(deps, (api) => ingestRoutes(api, deps))))
  .use(observability())
  .use(freshAdminKey(installationSecretsOf(config), deps));
