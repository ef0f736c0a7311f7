import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { AppId } from '../../../shared/schemas/common.js';
import { EventInput } from '../../../shared/schemas/event.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import { previewMessage } from '../../../shared/services/preview.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, json, jsonBody } from '../openapi.js';

const PreviewRequest = z
  .strictObject({
    appId: AppId.optional(),
    notifierId: z.string().max(64).optional(),
    event: EventInput.omit({ app: true, id: true }),
    locale: z.enum(['en', 'de', 'fr']).optional(),
  })
  .openapi('PreviewRequest');

const PreviewResponse = z
  .object({
    locale: z.string(),
    parts: z.object({
      email: z.object({ subject: z.string(), text: z.string(), html: z.string() }),
      sms: z.object({ text: z.string() }),
      slack: z.object({ text: z.string(), blocks: z.array(z.unknown()) }),
      chat: z.object({ text: z.string(), title: z.string(), body: z.string() }),
    }),
    placeholders: z.record(z.string(), z.unknown()),
  })
  .openapi('Preview');

export function previewRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/preview',
      tags: ['messages'],
      security: bearer,
      request: { body: jsonBody(PreviewRequest) },
      responses: { 200: json(PreviewResponse, 'every rendered part, and each placeholder with its value'), ...bodyErrors },
    }),
    async (c) => {
      const { appId, notifierId, event, locale } = c.req.valid('json');
      return c.json(
        await previewMessage(deps, {
          ...(appId ? { appId } : {}),
          ...(notifierId ? { notifierId } : {}),
          event,
          ...(locale ? { locale } : {}),
        }),
        200,
      );
    },
  );
}
