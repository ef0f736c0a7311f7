import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { CHANNEL_NAMES, FAMILY_NAMES } from '../../../shared/core/types.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import { installation } from '../../../shared/services/installation.js';
import type { ApiEnv } from '../guards.js';
import { bearer, errors, json } from '../openapi.js';

const Installation = z
  .object({
    channels: z.array(
      z.object({
        name: z.enum(CHANNEL_NAMES),
        family: z.enum(FAMILY_NAMES),
        provider: z.string().optional().openapi({ description: 'the provider settings it sends through' }),
        ready: z.boolean().openapi({ description: 'false when the installation lacks a setting it needs' }),
        missing: z.string().optional().openapi({ description: 'the provider setting it lacks' }),
      }),
    ),
    webPush: z.object({ publicKey: z.string() }).nullable().openapi({
      description: "the VAPID public key browsers subscribe with (pushManager.subscribe's applicationServerKey); null when unset",
    }),
    locales: z.array(z.string()),
    local: z.boolean().openapi({ description: 'local mode: private and loopback addresses are allowed' }),
  })
  .openapi('Installation');

export function installationRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/installation',
      tags: ['installation'],
      security: bearer,
      responses: { 200: json(Installation, 'what this installation offers: its channels, its VAPID key, its languages'), ...errors },
    }),
    (c) => c.json(installation(deps), 200),
  );
}
