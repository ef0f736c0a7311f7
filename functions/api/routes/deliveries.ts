import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ShownDeliveryStatus } from '../../../shared/core/types.js';
import { ErrorResponse, ListQuery, NextCursor, pageOf, Timestamp } from '../../../shared/schemas/common.js';
import { Delivery, DeliveryQuery } from '../../../shared/schemas/event.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import { getDelivery, listDeliveries, notifierStats, resendDelivery } from '../../../shared/services/delivery-log.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, errors, json } from '../openapi.js';

const tags = ['deliveries'];
const AppParams = z.object({
  appId: z.string().openapi({ description: 'the app, or * for the installation (where tests of global notifiers are filed)' }),
});
const DeliveryParams = AppParams.extend({ id: z.string() });
const One = z.object({ delivery: Delivery });

const Stats = z
  .object({
    notifierId: z.string(),
    since: Timestamp,
    until: Timestamp,
    sent: z.int(),
    failed: z.int(),
    dead: z.int(),
    pending: z.int().openapi({ description: 'queued or retrying' }),
    suppressed: z.int(),
    successRate: z.number().nullable().openapi({ description: 'sent / (sent + failed + dead); null when none ended' }),
    latencyMs: z
      .object({ p50: z.number(), p95: z.number() })
      .nullable()
      .openapi({ description: "the provider's answer time over every attempt; null without attempts" }),
    last: z
      .object({ deliveryId: z.string(), status: Delivery.shape.status, at: Timestamp })
      .optional()
      .openapi({ description: 'the newest delivery in the window: its status and the time of its last attempt' }),
    complete: z.boolean().openapi({
      description: "false when the count stopped at its bound (5000 of the app's deliveries read): the figures cover coveredSince on",
    }),
    coveredSince: Timestamp,
  })
  .openapi('NotifierStats');

/** The delivery log of an app (`*`: the installation's): a list with filters, one delivery, a resend, a notifier's figures. */
export function deliveryRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/deliveries',
      tags,
      security: bearer,
      request: { params: AppParams, query: ListQuery.extend(DeliveryQuery.shape) },
      responses: { 200: json(z.object({ deliveries: z.array(Delivery), nextCursor: NextCursor }), 'deliveries, newest first'), ...errors },
    }),
    async (c) => {
      const { limit, cursor, status, type, since, until, ...filter } = c.req.valid('query');
      const page = await listDeliveries(
        deps,
        c.req.valid('param').appId,
        {
          ...filter,
          ...(status ? { statuses: status.split(',') as ShownDeliveryStatus[] } : {}),
          ...(type ? { eventType: type } : {}),
          ...(since ? { since: new Date(since) } : {}),
          ...(until ? { until: new Date(until) } : {}),
        },
        pageOf({ limit, cursor }),
      );
      return c.json({ deliveries: page.items, nextCursor: page.nextCursor }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/deliveries/{id}',
      tags,
      security: bearer,
      request: { params: DeliveryParams },
      responses: { 200: json(One, 'the delivery and its attempts'), ...errors },
    }),
    async (c) => {
      const { appId, id } = c.req.valid('param');
      return c.json({ delivery: await getDelivery(deps, appId, id) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/apps/{appId}/deliveries/{id}/resend',
      tags,
      security: bearer,
      request: { params: DeliveryParams },
      responses: {
        202: json(One, 'queued again with a fresh set of attempts: the same delivery id, so the same webhook-id'),
        409: json(ErrorResponse, 'the delivery is pending, sent or suppressed: only a failed or dead one'),
        ...bodyErrors,
      },
    }),
    async (c) => {
      const { appId, id } = c.req.valid('param');
      return c.json({ delivery: await resendDelivery(deps, appId, id) }, 202);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/notifiers/{id}/stats',
      tags: ['notifiers'],
      security: bearer,
      request: {
        params: AppParams.extend({
          id: z.string().openapi({ description: "the app's notifier, or a global one (its deliveries for this app)" }),
        }),
        query: z.object({ since: Timestamp.optional().openapi({ description: 'default: 24 hours ago' }) }),
      },
      responses: { 200: json(z.object({ stats: Stats }), "the notifier's deliveries created since then"), ...errors },
    }),
    async (c) => {
      const { appId, id } = c.req.valid('param');
      const { since } = c.req.valid('query');
      return c.json({ stats: await notifierStats(deps, appId, id, since ? new Date(since) : undefined) }, 200);
    },
  );
}
