import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { CATALOG } from '../../../shared/core/catalog.js';
import { ListQuery, NextCursor, pageOf } from '../../../shared/schemas/common.js';
import { Delivery, Event, EventAccepted, EventInput } from '../../../shared/schemas/event.js';
import { appForIngest } from '../../../shared/services/auth.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import { getEvent, listEvents } from '../../../shared/services/history.js';
import { ingestEvent } from '../../../shared/services/ingest.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, conflict, errors, json, jsonBody, rateLimited } from '../openapi.js';

const AppParams = z.object({ appId: z.string() });
const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,128}$/, { error: 'must be 1 to 128 printable ASCII characters' })
    .optional(),
});
const EventType = z.object({
  type: z.string(),
  category: z.string(),
  displayName: z.string(),
  description: z.string(),
  severity: z.string(),
  critical: z.boolean(),
});

export function eventRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/events',
      tags: ['events'],
      security: bearer,
      request: { headers: IdempotencyHeaders, body: jsonBody(EventInput) },
      responses: {
        202: json(EventAccepted, 'accepted; deliveries is how many deliveries it made'),
        ...conflict,
        ...rateLimited,
        ...bodyErrors,
      },
    }),
    async (c) => {
      const { app, ...event } = c.req.valid('json');
      const appId = appForIngest(c.var.principal, app);
      return c.json(await ingestEvent(deps, appId, event, c.req.valid('header')['idempotency-key']), 202);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/events',
      tags: ['events'],
      security: bearer,
      request: { params: AppParams, query: ListQuery },
      responses: { 200: json(z.object({ events: z.array(Event), nextCursor: NextCursor }), 'events, newest first'), ...errors },
    }),
    async (c) => {
      const page = await listEvents(deps, c.req.valid('param').appId, pageOf(c.req.valid('query')));
      return c.json({ events: page.items, nextCursor: page.nextCursor }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/events/{eventId}',
      tags: ['events'],
      security: bearer,
      request: { params: AppParams.extend({ eventId: z.string() }) },
      responses: { 200: json(z.object({ event: Event, deliveries: z.array(Delivery) }), 'the event and its deliveries'), ...errors },
    }),
    async (c) => {
      const { appId, eventId } = c.req.valid('param');
      return c.json(await getEvent(deps, appId, eventId), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/event-types',
      tags: ['events'],
      security: bearer,
      responses: { 200: json(z.object({ eventTypes: z.array(EventType) }), 'the catalog'), 401: errors[401] },
    }),
    (c) => c.json({ eventTypes: [...CATALOG.values()] }, 200),
  );
}
