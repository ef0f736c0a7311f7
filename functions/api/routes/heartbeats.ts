import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { AppId, Timestamp } from '../../../shared/schemas/common.js';
import { appForIngest } from '../../../shared/services/auth.js';
import type { HttpApiDeps } from '../../../shared/services/deps.js';
import { listServers, recordHeartbeat } from '../../../shared/services/heartbeats.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, errors, json, jsonBody, noContent } from '../openapi.js';

const Heartbeat = z
  .strictObject({
    server: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, { error: 'must be a server name: letters, digits and . _ : -, at most 128' })
      .openapi({ example: 'web-1' }),
    app: AppId.optional().openapi({ description: 'the app, when sending with the admin key' }),
  })
  .openapi('Heartbeat');

const Servers = z
  .object({
    servers: z.array(
      z
        .object({
          appId: z.string(),
          server: z.string(),
          state: z.enum(['online', 'offline']),
          since: Timestamp.openapi({ description: 'in this state since' }),
          lastSeenAt: Timestamp.openapi({ description: 'its last heartbeat' }),
        })
        .openapi('Server'),
    ),
    heartbeat: z.object({ offlineAfterSeconds: z.int(), forgetOffline: z.boolean() }),
  })
  .openapi('Servers');

export function heartbeatRoutes(api: OpenAPIHono<ApiEnv>, deps: HttpApiDeps): void {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/heartbeats',
      tags: ['heartbeats'],
      security: bearer,
      request: { body: jsonBody(Heartbeat) },
      responses: { 204: { ...noContent, description: 'this server of the app is alive' }, ...bodyErrors },
    }),
    async (c) => {
      const { server, app } = c.req.valid('json');
      await recordHeartbeat(deps, appForIngest(c.var.principal, app), server);
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/servers',
      tags: ['heartbeats'],
      security: bearer,
      request: { params: z.object({ appId: z.string() }) },
      responses: { 200: json(Servers, 'the servers that send heartbeats, and how the app watches them'), ...errors },
    }),
    async (c) => c.json(await listServers(deps, c.req.valid('param').appId), 200),
  );
}
