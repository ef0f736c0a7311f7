import { OpenAPIHono } from '@hono/zod-openapi';
import { ValidationError } from '../../shared/errors.js';
import { issuesOf } from '../../shared/schemas/issues.js';
import type { ApiDeps } from '../../shared/services/deps.js';
import { errorResponse, notFound } from './errors.js';
import { authenticate, bodyGuard, jsonShapeGuard, scopeGuard, type ApiEnv } from './guards.js';
import { appRoutes } from './routes/apps.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { eventRoutes } from './routes/events.js';
import { heartbeatRoutes } from './routes/heartbeats.js';
import { previewRoutes } from './routes/preview.js';
import { notifierRoutes } from './routes/notifiers.js';
import { whoamiRoutes } from './routes/whoami.js';

/** What /openapi.json says of itself (the client's types are generated from the same document). */
export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: { title: 'Herald', version: '1', description: 'A serverless event router: apps post events, Herald delivers them.' },
};

/**
 * Herald's HTTP API (DESIGN.md, "HTTP API"). Routes are declared with the zod schemas that
 * validate them, so `GET /openapi.json` cannot drift from what the code accepts.
 */
export function createApi(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const api = new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationError('The request is not valid', issuesOf(result.error));
    },
  });
  api.onError(errorResponse);
  api.notFound(notFound);
  api.use('*', bodyGuard);

  api.get('/health', (c) => c.json({ status: 'ok' }));
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  api.doc31('/openapi.json', OPENAPI_INFO);

  api.use('/v1/*', authenticate(deps));
  api.use('/v1/*', scopeGuard);
  api.use('/v1/*', jsonShapeGuard);
  appRoutes(api, deps);
  notifierRoutes(api, deps);
  eventRoutes(api, deps);
  deadLetterRoutes(api, deps);
  heartbeatRoutes(api, deps);
  previewRoutes(api, deps);
  whoamiRoutes(api);
  return api;
}
