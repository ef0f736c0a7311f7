import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  Contact,
  ContactGroup,
  ContactGroupInput,
  ContactGroupPatch,
  ContactInput,
  ContactPatch,
  type ContactInputBody,
} from '../../../shared/schemas/contact.js';
import {
  createContact,
  createGroup,
  deleteContact,
  deleteGroup,
  getContact,
  getGroup,
  listContacts,
  listGroups,
  updateContact,
  updateGroup,
} from '../../../shared/services/contacts.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, error, errors, json, jsonBody, noContent } from '../openapi.js';

const inUse = { 409: error('contact_in_use: a group or a notifier names it (details name them)') } as const;

/** A contact as a change answers it: the webhook secrets Herald generated for its channels, shown this once. */
const Changed = z.object({
  contact: Contact,
  secrets: z
    .array(z.object({ index: z.int().openapi({ description: 'the channel in `channels`' }), secret: z.string() }))
    .optional()
    .openapi({ description: 'the webhook secrets generated for webhook channels given none: shown this once' }),
});

/**
 * Contacts and contact groups of an app (`/v1/apps/{appId}/contacts`, `.../contact-groups`)
 * and installation-wide ones (`/v1/contacts`, `/v1/contact-groups`, appId `*`).
 */
export function contactRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  for (const scope of ['app', 'global'] as const) {
    const Params = scope === 'app' ? z.object({ appId: z.string() }) : z.object({});
    const ItemParams = Params.extend({ id: z.string() });
    const appOf = (params: object): string => ('appId' in params ? String(params.appId) : '*');
    const prefix = scope === 'app' ? '/v1/apps/{appId}' : '/v1';
    const whose = scope === 'app' ? "an app's" : 'an installation-wide';

    const contacts = `${prefix}/contacts`;
    const tags = ['contacts'];
    api.openapi(
      createRoute({
        method: 'post',
        path: contacts,
        tags,
        security: bearer,
        summary: `Add ${whose} contact`,
        request: { params: Params, body: jsonBody(ContactInput) },
        responses: { 201: json(Changed, 'the contact, secrets masked; generated webhook secrets, once'), ...bodyErrors },
      }),
      async (c) => c.json(await createContact(deps, appOf(c.req.valid('param')), c.req.valid('json') as unknown as ContactInputBody), 201),
    );
    api.openapi(
      createRoute({
        method: 'get',
        path: contacts,
        tags,
        security: bearer,
        request: { params: Params },
        responses: { 200: json(z.object({ contacts: z.array(Contact) }), 'oldest first, secrets masked'), ...errors },
      }),
      async (c) => c.json({ contacts: await listContacts(deps, appOf(c.req.valid('param'))) }, 200),
    );
    api.openapi(
      createRoute({
        method: 'get',
        path: `${contacts}/{id}`,
        tags,
        security: bearer,
        request: { params: ItemParams },
        responses: { 200: json(z.object({ contact: Contact }), 'the contact, secrets masked'), ...errors },
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json({ contact: await getContact(deps, appOf(p), p.id) }, 200);
      },
    );
    api.openapi(
      createRoute({
        method: 'patch',
        path: `${contacts}/{id}`,
        tags,
        security: bearer,
        summary: 'A merge patch; a masked secret sent back keeps the secret',
        request: { params: ItemParams, body: jsonBody(ContactPatch) },
        responses: {
          200: json(Changed, 'the changed contact; webhook secrets generated for channels added without one, once'),
          ...bodyErrors,
        },
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json(await updateContact(deps, appOf(p), p.id, c.req.valid('json')), 200);
      },
    );
    api.openapi(
      createRoute({
        method: 'delete',
        path: `${contacts}/{id}`,
        tags,
        security: bearer,
        summary: 'Delete a contact (409 contact_in_use while a group or a notifier names it)',
        request: { params: ItemParams },
        responses: { 204: noContent, ...errors, ...inUse },
      }),
      async (c) => {
        const p = c.req.valid('param');
        await deleteContact(deps, appOf(p), p.id);
        return c.body(null, 204);
      },
    );

    const groups = `${prefix}/contact-groups`;
    const groupTags = ['contact groups'];
    api.openapi(
      createRoute({
        method: 'post',
        path: groups,
        tags: groupTags,
        security: bearer,
        summary: `Add ${whose} contact group`,
        request: { params: Params, body: jsonBody(ContactGroupInput) },
        responses: { 201: json(z.object({ group: ContactGroup }), 'the group'), ...bodyErrors },
      }),
      async (c) => c.json({ group: await createGroup(deps, appOf(c.req.valid('param')), c.req.valid('json')) }, 201),
    );
    api.openapi(
      createRoute({
        method: 'get',
        path: groups,
        tags: groupTags,
        security: bearer,
        request: { params: Params },
        responses: { 200: json(z.object({ groups: z.array(ContactGroup) }), 'oldest first'), ...errors },
      }),
      async (c) => c.json({ groups: await listGroups(deps, appOf(c.req.valid('param'))) }, 200),
    );
    api.openapi(
      createRoute({
        method: 'get',
        path: `${groups}/{id}`,
        tags: groupTags,
        security: bearer,
        request: { params: ItemParams },
        responses: { 200: json(z.object({ group: ContactGroup }), 'the group'), ...errors },
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json({ group: await getGroup(deps, appOf(p), p.id) }, 200);
      },
    );
    api.openapi(
      createRoute({
        method: 'patch',
        path: `${groups}/{id}`,
        tags: groupTags,
        security: bearer,
        request: { params: ItemParams, body: jsonBody(ContactGroupPatch) },
        responses: { 200: json(z.object({ group: ContactGroup }), 'the changed group'), ...bodyErrors },
      }),
      async (c) => {
        const p = c.req.valid('param');
        return c.json({ group: await updateGroup(deps, appOf(p), p.id, c.req.valid('json')) }, 200);
      },
    );
    api.openapi(
      createRoute({
        method: 'delete',
        path: `${groups}/{id}`,
        tags: groupTags,
        security: bearer,
        summary: 'Delete a group (409 contact_in_use while a notifier names it)',
        request: { params: ItemParams },
        responses: { 204: noContent, ...errors, ...inUse },
      }),
      async (c) => {
        const p = c.req.valid('param');
        await deleteGroup(deps, appOf(p), p.id);
        return c.body(null, 204);
      },
    );
  }
}
