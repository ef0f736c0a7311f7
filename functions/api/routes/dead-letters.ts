import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { FAMILY_NAMES } from '../../../shared/core/types.js';
import { ListQuery, NextCursor, pageOf } from '../../../shared/schemas/common.js';
import { Delivery } from '../../../shared/schemas/event.js';
import { countDeadLetters, redriveDeadLetters } from '../../../shared/services/dead-letters.js';
import { listDeadLetters } from '../../../shared/services/delivery-log.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, errors, json } from '../openapi.js';

const tags = ['dead letters'];
const FamilyParams = z.object({ channel: z.enum(FAMILY_NAMES).openapi({ description: 'a channel family: its queue and DLQ' }) });
const Counts = z.object({ channels: z.record(z.enum(FAMILY_NAMES), z.object({ messages: z.int() })) }).openapi('DeadLetterCounts');

export function deadLetterRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/dlq',
      tags,
      security: bearer,
      responses: {
        200: json(Counts, 'deliveries waiting in each DLQ, by channel family (email, sms, slack, webhook, chat, push, incident)'),
        ...errors,
      },
    }),
    async (c) => {
      return c.json({ channels: await countDeadLetters(deps) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/dlq/{channel}',
      tags,
      security: bearer,
      request: { params: FamilyParams, query: ListQuery },
      responses: {
        200: json(
          z.object({ deliveries: z.array(Delivery), nextCursor: NextCursor }),
          'the dead deliveries, the longest dead first, with their last error',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const page = await listDeadLetters(deps, c.req.valid('param').channel, pageOf(c.req.valid('query')));
      return c.json({ deliveries: page.items, nextCursor: page.nextCursor }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/dlq/{channel}/redrive',
      tags,
      security: bearer,
      request: { params: FamilyParams },
      responses: {
        200: json(z.object({ moved: z.int() }), 'how many deliveries went back on the queue, with fresh attempts'),
        ...bodyErrors,
      },
    }),
    async (c) => {
      return c.json({ moved: await redriveDeadLetters(deps, c.req.valid('param').channel) }, 200);
    },
  );
}
