import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { InboundAnswer } from '../../../shared/schemas/source.js';
import type { HttpApiDeps } from '../../../shared/services/deps.js';
import { receiveInbound } from '../../../shared/services/inbound.js';
import { IngestMetrics } from '../../../shared/services/ingest-metrics.js';
import type { ApiEnv } from '../guards.js';
import { inboundErrors, json } from '../openapi.js';

/** Where tools post their own payloads: outside the JSON API's guards (no key, any content type: SNS posts text/plain). */
export const INBOUND_PREFIX = '/v1/inbound/';

export function inboundRoutes(api: OpenAPIHono<ApiEnv>, deps: HttpApiDeps): void {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/inbound/{sourceId}',
      tags: ['sources'],
      summary: "A tool's own payload (Alertmanager, Grafana, Amazon SNS, GitHub, JSON), authenticated by the source's own means",
      request: {
        params: z.object({ sourceId: z.string() }),
        body: {
          content: {
            'application/json': { schema: z.unknown() },
            'text/plain': { schema: z.unknown().openapi({ description: "Amazon SNS's JSON, as SNS posts it" }) },
            'application/x-www-form-urlencoded': {
              schema: z.unknown().openapi({ description: "GitHub's form content type: payload=<its JSON>" }),
            },
          },
          required: true,
        },
      },
      responses: {
        200: json(InboundAnswer, 'every event a duplicate of one taken before, a ping, or an SNS subscription confirmed'),
        202: json(InboundAnswer, 'its events taken, or the payload taken and routed nowhere (ignored: why)'),
        207: json(InboundAnswer, 'some events refused: each answer'),
        ...inboundErrors,
      },
    }),
    async (c) => {
      const body = Buffer.from(await c.req.arrayBuffer());
      const headers = Object.fromEntries([...c.req.raw.headers].map(([k, v]) => [k.toLowerCase(), v]));
      const tally = new IngestMetrics();
      try {
        const answer = await receiveInbound(deps, c.req.valid('param').sourceId, { headers, body }, tally);
        return c.json(answer.body, answer.status as 200);
      } finally {
        tally.publish();
      }
    },
  );
}
