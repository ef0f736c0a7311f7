import type { OpenAPIHono } from '@hono/zod-openapi';
import type { HttpApiDeps } from '../../shared/services/deps.js';
import type { ApiEnv } from './guards.js';
import { eventRoutes } from './routes/events.js';
import { heartbeatRoutes } from './routes/heartbeats.js';
import { inboundRoutes } from './routes/inbound.js';
import { whoamiRoutes } from './routes/whoami.js';

/**
 * The route groups that hold INGEST_ROUTES and INBOUND_ROUTES (ingest-scope.ts), with the admin's reads of the
 * same things: the ingest function serves these, so that posting an event loads none of the
 * admin API's code (notifier targets, templates, previews).
 */
export function ingestRoutes(api: OpenAPIHono<ApiEnv>, deps: HttpApiDeps): void {
  eventRoutes(api, deps);
  heartbeatRoutes(api, deps);
  inboundRoutes(api, deps);
  whoamiRoutes(api);
}
