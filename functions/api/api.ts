import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps } from '../../shared/services/deps.js';
import type { ApiEnv } from './guards.js';
import { createHttpApi } from './http-api.js';
import { appRoutes } from './routes/apps.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { installationRoutes } from './routes/installation.js';
import { previewRoutes } from './routes/preview.js';
import { notifierRoutes } from './routes/notifiers.js';
import { contactRoutes } from './routes/contacts.js';
import { eventRoutes } from './routes/events.js';
import { heartbeatRoutes } from './routes/heartbeats.js';
import { inboundRoutes } from './routes/inbound.js';
import { silenceRoutes } from './routes/silences.js';
import { incidentRoutes } from './routes/incidents.js';
import { sourceRoutes } from './routes/sources.js';
import { whoamiRoutes } from './routes/whoami.js';

export { OPENAPI_INFO } from './http-api.js';

/** Herald's whole HTTP API: the admin routes and the ingest key's (the api function, local mode, /openapi.json). */
export function createApi(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  return createHttpApi(deps, (api) => {
    // In this order, the order of openapi.json's paths.
    appRoutes(api, deps);
    notifierRoutes(api, deps);
    contactRoutes(api, deps);
    eventRoutes(api, deps);
    deliveryRoutes(api, deps);
    deadLetterRoutes(api, deps);
    heartbeatRoutes(api, deps);
    sourceRoutes(api, deps);
    silenceRoutes(api, deps);
    incidentRoutes(api, deps);
    inboundRoutes(api, deps);
    previewRoutes(api, deps);
    installationRoutes(api, deps);
    whoamiRoutes(api);
  });
}
