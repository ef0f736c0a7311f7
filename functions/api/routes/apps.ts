import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { ApiKey, App, AppCreate, AppCreated, AppPatch, CreatedKey } from '../../../shared/schemas/app.js';
import { ListQuery, NextCursor, pageOf } from '../../../shared/schemas/common.js';
import { createApp, createKey, deleteApp, getApp, listApps, listKeys, revokeKey, updateApp } from '../../../shared/services/apps.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, conflict, errors, json, jsonBody, noContent } from '../openapi.js';

const AppParams = z.object({ appId: z.string() });
const KeyParams = AppParams.extend({ keyId: z.string() });
const tags = ['apps'];

export function appRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/apps',
      tags,
      security: bearer,
      request: { body: jsonBody(AppCreate) },
      responses: { 201: json(AppCreated, 'the app, and its first ingest key (shown once)'), ...conflict, ...bodyErrors },
    }),
    async (c) => {
      return c.json(await createApp(deps, c.req.valid('json')), 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps',
      tags,
      security: bearer,
      request: { query: ListQuery },
      responses: { 200: json(z.object({ apps: z.array(App), nextCursor: NextCursor }), 'apps'), ...errors },
    }),
    async (c) => {
      const page = await listApps(deps, pageOf(c.req.valid('query')));
      return c.json({ apps: page.items, nextCursor: page.nextCursor }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}',
      tags,
      security: bearer,
      request: { params: AppParams },
      responses: { 200: json(z.object({ app: App }), 'the app'), ...errors },
    }),
    async (c) => {
      return c.json({ app: await getApp(deps, c.req.valid('param').appId) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/apps/{appId}',
      tags,
      security: bearer,
      request: { params: AppParams, body: jsonBody(AppPatch) },
      responses: { 200: json(z.object({ app: App }), 'the changed app'), ...bodyErrors },
    }),
    async (c) => {
      return c.json({ app: await updateApp(deps, c.req.valid('param').appId, c.req.valid('json')) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/apps/{appId}',
      tags,
      security: bearer,
      request: { params: AppParams },
      responses: { 204: noContent, ...errors },
    }),
    async (c) => {
      await deleteApp(deps, c.req.valid('param').appId);
      return c.body(null, 204);
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/v1/apps/{appId}/keys',
      tags,
      security: bearer,
      request: { params: AppParams },
      responses: { 201: json(CreatedKey, 'a new ingest key (shown once)'), ...bodyErrors },
    }),
    async (c) => {
      return c.json(await createKey(deps, c.req.valid('param').appId), 201);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/keys',
      tags,
      security: bearer,
      request: { params: AppParams },
      responses: { 200: json(z.object({ keys: z.array(ApiKey) }), 'the keys, without their secrets'), ...errors },
    }),
    async (c) => {
      return c.json({ keys: await listKeys(deps, c.req.valid('param').appId) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/apps/{appId}/keys/{keyId}',
      tags,
      security: bearer,
      request: { params: KeyParams },
      responses: { 204: noContent, ...errors },
    }),
    async (c) => {
      const { appId, keyId } = c.req.valid('param');
      await revokeKey(deps, appId, keyId);
      return c.body(null, 204);
    },
  );
}
