import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiEnv } from '../guards.js';
import { bearer, errors, json } from '../openapi.js';

const WhoAmI = z
  .object({
    scope: z.enum(['admin', 'ingest']).openapi({ description: 'admin: every route; ingest: events and heartbeats of one app' }),
    appId: z.string().optional().openapi({ description: "an ingest key's app" }),
    keyId: z.string().optional().openapi({ description: "an ingest key's id" }),
  })
  .openapi('WhoAmI');

/** What a key may do: the command line finds the app of an ingest key here, and checks a key before saving it. */
export function whoamiRoutes(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/whoami',
      tags: ['keys'],
      security: bearer,
      responses: { 200: json(WhoAmI, "the key's scope, and an ingest key's app"), 401: errors[401] },
    }),
    (c) => {
      const principal = c.var.principal;
      return c.json(
        principal.kind === 'admin'
          ? { scope: 'admin' as const }
          : { scope: 'ingest' as const, appId: principal.appId, keyId: principal.keyId },
        200,
      );
    },
  );
}
