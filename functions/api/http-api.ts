import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { ValidationError } from '../../shared/errors.js';
import { issuesOf } from '../../shared/schemas/issues.js';
import type { HttpApiDeps } from '../../shared/services/deps.js';
import { errorResponse, notFound } from './errors.js';
import { INBOUND_PREFIX } from './routes/inbound.js';
import {
  authenticate,
  bodySizeGuard,
  requestLog,
  jsonContentGuard,
  jsonShapeGuard,
  pathIdGuard,
  scopeGuard,
  type ApiEnv,
} from './guards.js';

/** What /openapi.json says of itself (the client's types are generated from the same document). */
export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: { title: 'Herald', version: '1', description: 'A serverless event router: apps post events, Herald delivers them.' },
};

/**
 * Herald's HTTP API with the routes `register` declares (docs/http-api.md): the same
 * guards, errors and documentation whichever function serves it (the api function serves
 * every route, the ingest function the ingest key's). Routes are declared with the zod
 * schemas that validate them, so `GET /openapi.json` cannot drift from what the code accepts.
 */
export function createHttpApi(deps: HttpApiDeps, register: (api: OpenAPIHono<ApiEnv>) => void): OpenAPIHono<ApiEnv> {
  const api = new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationError('The request is not valid', issuesOf(result.error));
    },
  });
  api.onError(errorResponse);
  api.notFound(notFound);
  api.use('*', requestLog);
  api.use('*', bodySizeGuard);

  api.get('/health', (c) => c.json({ status: 'ok' }));
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  api.doc31('/openapi.json', OPENAPI_INFO);

  // The /v1 routes speak JSON only and need a key, except the inbound endpoints, where tools
  // post their own payloads (SNS posts text/plain) authenticated by their own means.
  const jsonApi =
    (guard: MiddlewareHandler<ApiEnv>): MiddlewareHandler<ApiEnv> =>
    async (c, next) =>
      c.req.path.startsWith(INBOUND_PREFIX) ? next() : guard(c, next);
  api.use('/v1/*', jsonApi(jsonContentGuard));
  api.use('/v1/*', jsonApi(authenticate(deps)));
  api.use('/v1/*', jsonApi(scopeGuard));
  api.use('/v1/*', pathIdGuard);
  let bodyRoutes: Set<string> | undefined; // read on the first request, once every route is declared
  api.use('/v1/*', jsonApi(jsonShapeGuard((route) => (bodyRoutes ??= routesWithBody(api)).has(route))));
  register(api);
  return api;
}

/** The routes that declare a required body (`POST /v1/events`...), read from their own declarations once all are registered. */
function routesWithBody(api: OpenAPIHono<ApiEnv>): Set<string> {
  return new Set(
    api.openAPIRegistry.definitions.flatMap((d) =>
      d.type === 'route' && d.route.request?.body?.required ? [`${d.route.method.toUpperCase()} ${d.route.path}`] : [],
    ),
  );
}
