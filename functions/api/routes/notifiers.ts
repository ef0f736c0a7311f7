import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { Notifier, NotifierCreate, NotifierPatch, type NotifierInput } from '../../../shared/schemas/notifier.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import {
  createNotifier,
  deleteNotifier,
  getNotifier,
  listNotifiers,
  rotateWebhookSecret,
  updateNotifier,
} from '../../../shared/services/notifiers.js';
import { HeraldError } from '../../../shared/errors.js';
import { ErrorResponse, ListQuery, NextCursor, pageOf } from '../../../shared/schemas/common.js';
import { Delivery } from '../../../shared/schemas/event.js';
import { sendTestNotification } from '../../../shared/services/notifier-test.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, error, errors, json, jsonBody, noContent } from '../openapi.js';

const One = z.object({ notifier: Notifier });
const Created = One.extend({ secret: z.string().optional().openapi({ description: 'the generated webhook secret: shown this once' }) });
/** Within API Gateway's 30 s. */
const TEST_WAIT_MS = 25_000;
const Many = z.object({ notifiers: z.array(Notifier), nextCursor: NextCursor });

/**
 * Notifiers of an app (`/v1/apps/{appId}/notifiers`) and global ones (`/v1/notifiers`,
 * appId `*`): the same routes, two roots.
 */
export function notifierRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  for (const scope of ['app', 'global'] as const) {
    const root = scope === 'app' ? '/v1/apps/{appId}/notifiers' : '/v1/notifiers';
    const Params = scope === 'app' ? z.object({ appId: z.string() }) : z.object({});
    const ItemParams = Params.extend({ id: z.string() });
    const appOf = (params: object): string => ('appId' in params ? String(params.appId) : '*');
    const tags = [scope === 'app' ? 'notifiers' : 'global notifiers'];

    api.openapi(
      createRoute({
        method: 'post',
        path: root,
        tags,
        security: bearer,
        request: { params: Params, body: jsonBody(NotifierCreate) },
        responses: { 201: json(Created, 'the notifier, secrets masked; a generated webhook secret, once'), ...bodyErrors },
      }),
      async (c) => {
        const { confirm, ...input } = c.req.valid('json') as NotifierInput & { confirm?: boolean };
        return c.json(await createNotifier(deps, appOf(c.req.valid('param')), input, { confirm: confirm === true }), 201);
      },
    );

    api.openapi(
      createRoute({
        method: 'post',
        path: `${root}/{id}/secret`,
        tags,
        security: bearer,
        request: { params: ItemParams },
        responses: {
          200: json(z.object({ secret: z.string() }), 'a new webhook secret, shown once; the old one signs too for 24 h'),
          ...bodyErrors,
        },
      }),
      async (c) => {
        const params = c.req.valid('param');
        return c.json(await rotateWebhookSecret(deps, appOf(params), params.id), 200);
      },
    );

    api.openapi(
      createRoute({
        method: 'get',
        path: root,
        tags,
        security: bearer,
        request: { params: Params, query: ListQuery },
        responses: { 200: json(Many, 'the notifiers'), ...errors },
      }),
      async (c) => {
        const page = await listNotifiers(deps, appOf(c.req.valid('param')), pageOf(c.req.valid('query')));
        return c.json({ notifiers: page.items, nextCursor: page.nextCursor }, 200);
      },
    );

    api.openapi(
      createRoute({
        method: 'get',
        path: `${root}/{id}`,
        tags,
        security: bearer,
        request: { params: ItemParams },
        responses: { 200: json(One, 'the notifier, secrets masked'), ...errors },
      }),
      async (c) => {
        const params = c.req.valid('param');
        return c.json({ notifier: await getNotifier(deps, appOf(params), params.id) }, 200);
      },
    );

    api.openapi(
      createRoute({
        method: 'patch',
        path: `${root}/{id}`,
        tags,
        security: bearer,
        request: { params: ItemParams, body: jsonBody(NotifierPatch) },
        responses: { 200: json(One, 'the changed notifier'), ...bodyErrors },
      }),
      async (c) => {
        const params = c.req.valid('param');
        return c.json({ notifier: await updateNotifier(deps, appOf(params), params.id, c.req.valid('json')) }, 200);
      },
    );

    api.openapi(
      createRoute({
        method: 'post',
        path: `${root}/{id}/test`,
        tags,
        security: bearer,
        request: { params: ItemParams },
        responses: {
          200: json(z.object({ delivery: Delivery }), 'the test delivery, once its first attempt is done'),
          504: json(ErrorResponse, 'no attempt within 25 s: the delivery goes on, see the delivery log'),
          ...bodyErrors,
        },
      }),
      async (c) => {
        const params = c.req.valid('param');
        const delivery = await sendTestNotification(deps, appOf(params), params.id, TEST_WAIT_MS);
        if (!delivery) throw new HeraldError(504, 'timeout', 'The test delivery had no attempt within 25 s; see the delivery log');
        return c.json({ delivery }, 200);
      },
    );

    api.openapi(
      createRoute({
        method: 'delete',
        path: `${root}/{id}`,
        tags,
        security: bearer,
        summary: "Delete a notifier (409 notifier_in_use while a policy's step or a failover names it)",
        request: { params: ItemParams },
        responses: {
          204: noContent,
          ...errors,
          409: error("notifier_in_use: an escalation policy's step or another notifier's failover names it (details name them)"),
        },
      }),
      async (c) => {
        const params = c.req.valid('param');
        await deleteNotifier(deps, appOf(params), params.id);
        return c.body(null, 204);
      },
    );
  }
}
