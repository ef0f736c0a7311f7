/**
 * What an app's ingest key may call; every other /v1 route needs the admin key (guards.ts,
 * scopeGuard). On AWS the HTTP API sends these routes to the ingest function
 * (functions/ingest), which serves only them.
 */
export const INGEST_ROUTES: readonly string[] = [
  'POST /v1/events',
  'POST /v1/events/batch',
  'POST /v1/heartbeats',
  'GET /v1/event-types',
  'GET /v1/whoami',
];

/**
 * Where tools post their own payloads (inbound sources): no key, authenticated by each
 * source's own means (services/inbound.ts). On AWS these go to the ingest function too.
 */
export const INBOUND_ROUTES: readonly string[] = ['POST /v1/inbound/{sourceId}'];
