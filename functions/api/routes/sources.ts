import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CreatedSource, Source, SourceInput, type SourceInputBody } from '../../../shared/schemas/source.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import {
  createSource,
  deleteSource,
  getSource,
  listSources,
  rotateSourceSecret,
  type SourceInput as ServiceInput,
} from '../../../shared/services/sources.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, error, errors, json, jsonBody, noContent } from '../openapi.js';

const AppParams = z.object({ appId: z.string() });
const SourceParams = AppParams.extend({ sourceId: z.string() });
const tags = ['sources'];

/** The API's own origin, which a source's inbound URL is under (API Gateway's domain, local mode's port), as the request came. */
const originOf = (c: Context) => {
  const url = new URL(c.req.url);
  return `${c.req.header('x-forwarded-proto') ?? url.protocol.slice(0, -1)}://${url.host}`;
};

/** The body's kind and name; the rest is the kind's settings. */
const serviceInput = ({ kind, name, ...settings }: SourceInputBody): ServiceInput => ({ kind, name, settings });

/** An app's inbound sources (Alertmanager, Grafana, Amazon SNS, GitHub, JSON): managed like its keys. */
export function sourceRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/apps/{appId}/sources',
      tags,
      security: bearer,
      request: { params: AppParams, body: jsonBody(SourceInput) },
      responses: { 201: json(CreatedSource, 'the source, its inbound URL, and its secret (shown once)'), ...bodyErrors },
    }),
    async (c) => c.json(await createSource(deps, c.req.valid('param').appId, serviceInput(c.req.valid('json')), originOf(c)), 201),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/sources',
      tags,
      security: bearer,
      request: { params: AppParams },
      responses: { 200: json(z.object({ sources: z.array(Source) }), 'the sources, without their secrets'), ...errors },
    }),
    async (c) => c.json({ sources: await listSources(deps, c.req.valid('param').appId, originOf(c)) }, 200),
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/sources/{sourceId}',
      tags,
      security: bearer,
      request: { params: SourceParams },
      responses: { 200: json(z.object({ source: Source }), 'the source'), ...errors },
    }),
    async (c) => {
      const { appId, sourceId } = c.req.valid('param');
      return c.json({ source: await getSource(deps, appId, sourceId, originOf(c)) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/apps/{appId}/sources/{sourceId}/secret',
      tags,
      security: bearer,
      request: { params: SourceParams },
      responses: {
        200: json(CreatedSource, 'a new secret (shown once); the previous one is taken for 24 hours more'),
        409: error('another request rotated it meanwhile: the secret is in its answer'),
        ...bodyErrors,
      },
    }),
    async (c) => {
      const { appId, sourceId } = c.req.valid('param');
      return c.json(await rotateSourceSecret(deps, appId, sourceId, originOf(c)), 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/apps/{appId}/sources/{sourceId}',
      tags,
      security: bearer,
      request: { params: SourceParams },
      responses: { 204: noContent, ...errors },
    }),
    async (c) => {
      const { appId, sourceId } = c.req.valid('param');
      await deleteSource(deps, appId, sourceId);
      return c.body(null, 204);
    },
  );
}
