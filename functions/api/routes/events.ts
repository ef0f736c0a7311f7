import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { CATALOG } from '../../../shared/core/catalog.js';
import { ListQuery, NextCursor, pageOf } from '../../../shared/schemas/common.js';
import { Delivery, Event, EventAccepted, EventBatch, EventBatchResult, EventInput } from '../../../shared/schemas/event.js';
import { HeraldError, ValidationError } from '../../../shared/errors.js';
import { issuesOf } from '../../../shared/schemas/issues.js';
import { checkJsonShape, parseForShape } from '../../../shared/schemas/json-shape.js';
import { appForIngest } from '../../../shared/services/auth.js';
import type { HttpApiDeps } from '../../../shared/services/deps.js';
import { getEvent, listEvents } from '../../../shared/services/history.js';
import { ingestBatch } from '../../../shared/services/ingest-batch.js';
import { ingestEvent } from '../../../shared/services/ingest.js';
import { IngestMetrics } from '../../../shared/services/ingest-metrics.js';
import { MAX_BODY_BYTES, type ApiEnv } from '../guards.js';
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

export function eventRoutes(api: OpenAPIHono<ApiEnv>, deps: HttpApiDeps): void {
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
      // A refusal is counted where every refusal of this route is answered (errors.ts).
      const tally = new IngestMetrics();
      const answer = await ingestEvent(deps, appId, event, c.req.valid('header')['idempotency-key'], tally);
      tally.publish();
      return c.json(answer, 202);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/events/batch',
      tags: ['events'],
      security: bearer,
      request: { body: jsonBody(EventBatch) },
      responses: {
        202: json(EventBatchResult, 'every event accepted: each answer, in the order sent'),
        207: json(EventBatchResult, 'some refused: each answer or error, in the order sent'),
        ...bodyErrors,
      },
    }),
    async (c) => {
      // Each event's shape (numbers as sent, control characters), which the guard left to this route.
      const asSent = (parseForShape(await c.req.text()) as { events: unknown[] }).events;
      const events = c.req.valid('json').events.map((raw, i) => {
        const shape = checkJsonShape(asSent[i]);
        if (shape) return new ValidationError(`Event ${i} is not valid`, [shape]);
        const parsed = EventInput.safeParse(raw);
        if (!parsed.success) return new ValidationError(`Event ${i} is not valid`, issuesOf(parsed.error));
        if (Buffer.byteLength(JSON.stringify(raw)) > MAX_BODY_BYTES)
          return new HeraldError(413, 'payload_too_large', `Event ${i} is larger than ${MAX_BODY_BYTES / 1024} KiB`);
        const { app, ...input } = parsed.data;
        try {
          return { appId: appForIngest(c.var.principal, app), input };
        } catch (err) {
          if (err instanceof HeraldError) return err;
          throw err;
        }
      });
      const tally = new IngestMetrics();
      const results = await ingestBatch(deps, events, tally);
      tally.publish();
      return c.json({ results }, results.every((r) => r.status === 202) ? 202 : 207);
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
