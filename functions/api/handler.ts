import middy from '@middy/core';
import { handle } from 'hono/aws-lambda';
import { freshApiSecrets, observability } from '../../shared/aws/lambda-middlewares.js';
import { installationSecretsOf } from '../../shared/aws/provider-settings.js';
import { apiDeps } from '../../shared/aws/api-wiring.js';
import { readConfig } from '../../shared/config.js';
import { renderLater } from '../../shared/core/messages/render-later.js';
import { createApi } from './api.js';

/** The api function: API Gateway (HTTP API, payload v2) → Herald's HTTP API, in middy. */
const config = readConfig();
// The installation's overrides are checked here, where they are served: a bad one stops the api's start. The
// template engine is loaded for them only (and for a preview or a notifier's overrides), not at every cold start.
const overrides = config.messages.templates ?? {};
if (Object.keys(overrides).length) (await renderLater()).assertOverrides(overrides, 'HERALD_TEMPLATES');
const deps = await apiDeps(config);

export const handler = middy(handle(createApi(deps)))
  .use(observability())
  .use(freshApiSecrets(installationSecretsOf(config), deps));
