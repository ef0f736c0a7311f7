import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { AppId } from '../../../shared/schemas/common.js';
import { appForIngest } from '../../../shared/services/auth.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import { recordHeartbeat } from '../../../shared/services/heartbeats.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, jsonBody, noContent } from '../openapi.js';

const Heartbeat = z
  .object({
    server: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, { error: 'must be a server name: letters, digits and . _ : -, at most 128' })
      .openapi({ example: 'web-1' }),
    app: AppId.optional().openapi({ description: 'the app, when sending with the admin key' }),
  })
  .strict()
  .openapi('Heartbeat');

export function heartbeatRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
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
}
