import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { Silence, SilenceInput, SilenceMatcher, SilencePreview } from '../../../shared/schemas/silence.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import { createSilence, expireSilence, getSilence, GLOBAL, listSilences, previewSilence } from '../../../shared/services/silences.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, errors, json, jsonBody, noContent } from '../openapi.js';

const tags = ['silences'];
const AppParams = z.object({ appId: z.string() });
const SilenceParams = z.object({ silenceId: z.string() });
const AppSilenceParams = AppParams.extend(SilenceParams.shape);

/** An app's silences under /v1/apps/{appId}/silences, the global ones (every app) under /v1/silences. */
export function silenceRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  for (const scope of ['app', 'global'] as const) {
    const base = scope === 'app' ? '/v1/apps/{appId}/silences' : '/v1/silences';
    const appOf = (params: { appId?: string }) => (scope === 'app' ? (params.appId as string) : GLOBAL);
    const params = scope === 'app' ? AppParams : z.object({});
    const oneParams = scope === 'app' ? AppSilenceParams : SilenceParams;
    const what = scope === 'app' ? "the app's" : 'a global';

    api.openapi(
      createRoute({
        method: 'post',
        path: base,
        tags,
        security: bearer,
        summary: `Silence ${scope === 'app' ? "some of an app's events" : 'some events of every app'}`,
        request: { params, body: jsonBody(SilenceInput) },
        responses: { 201: json(z.object({ silence: Silence }), `${what} silence`), ...bodyErrors },
      }),
      async (c) => c.json({ silence: await createSilence(deps, appOf(c.req.valid('param')), c.req.valid('json'), c.var.principal) }, 201),
    );

    api.openapi(
      createRoute({
        method: 'get',
        path: base,
        tags,
        security: bearer,
        request: { params },
        responses: { 200: json(z.object({ silences: z.array(Silence) }), 'newest first, with how many events each silenced'), ...errors },
      }),
      async (c) => c.json({ silences: await listSilences(deps, appOf(c.req.valid('param'))) }, 200),
    );

    api.openapi(
      createRoute({
        method: 'get',
        path: `${base}/{silenceId}`,
        tags,
        security: bearer,
        request: { params: oneParams },
        responses: { 200: json(z.object({ silence: Silence }), 'the silence'), ...errors },
      }),
      async (c) => {
        const p = c.req.valid('param') as { appId?: string; silenceId: string };
        return c.json({ silence: await getSilence(deps, appOf(p), p.silenceId) }, 200);
      },
    );

    api.openapi(
      createRoute({
        method: 'delete',
        path: `${base}/{silenceId}`,
        tags,
        security: bearer,
        summary: 'End a silence now (it stays listed, expired)',
        request: { params: oneParams },
        responses: { 204: noContent, ...errors },
      }),
      async (c) => {
        const p = c.req.valid('param') as { appId?: string; silenceId: string };
        await expireSilence(deps, appOf(p), p.silenceId);
        return c.body(null, 204);
      },
    );
  }

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/apps/{appId}/silences/preview',
      tags,
      security: bearer,
      summary: "Which of the app's latest events these matchers would have silenced",
      request: { params: AppParams, body: jsonBody(z.strictObject({ matchers: z.array(SilenceMatcher).min(1).max(20) })) },
      responses: { 200: json(SilencePreview, 'the events it would have silenced, newest first'), ...bodyErrors },
    }),
    async (c) => c.json(await previewSilence(deps, c.req.valid('param').appId, c.req.valid('json').matchers), 200),
  );
}
