import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ListQuery, NextCursor, pageOf } from '../../../shared/schemas/common.js';
import { Incident, IncidentAction, IncidentStatus } from '../../../shared/schemas/incident.js';
import type { Incident as IncidentRecord } from '../../../shared/core/incidents.js';
import type { ApiDeps } from '../../../shared/services/deps.js';
import { HeraldError } from '../../../shared/errors.js';
import { acknowledgeIncident, getIncident, incidentOfLink, listIncidents, resolveIncident } from '../../../shared/services/incidents.js';
import type { ApiEnv } from '../guards.js';
import { bearer, bodyErrors, error, errors, json, jsonBody } from '../openapi.js';

const tags = ['incidents'];
const AppParams = z.object({ appId: z.string() });
const IncidentParams = AppParams.extend({ incidentId: z.string() });
const actionBody = { ...jsonBody(IncidentAction), required: false };
const alreadyDone = { 409: error('acknowledged or resolved already (the message says by whom)') } as const;

/** An app's incidents: listed, shown, acknowledged and resolved with a key; acknowledged without one through a message's link (/ack/{token}). */
export function incidentRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/incidents',
      tags,
      security: bearer,
      request: { params: AppParams, query: ListQuery.extend({ status: IncidentStatus.optional() }) },
      responses: { 200: json(z.object({ incidents: z.array(Incident), nextCursor: NextCursor }), 'newest first'), ...errors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await listIncidents(deps, c.req.valid('param').appId, query.status ? { status: query.status } : {}, pageOf(query));
      return c.json({ incidents: page.items, nextCursor: page.nextCursor }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: 'get',
      path: '/v1/apps/{appId}/incidents/{incidentId}',
      tags,
      security: bearer,
      request: { params: IncidentParams },
      responses: { 200: json(z.object({ incident: Incident }), 'the incident'), ...errors },
    }),
    async (c) => {
      const { appId, incidentId } = c.req.valid('param');
      return c.json({ incident: await getIncident(deps, appId, incidentId) }, 200);
    },
  );

  for (const action of ['ack', 'resolve'] as const) {
    api.openapi(
      createRoute({
        method: 'post',
        path: `/v1/apps/{appId}/incidents/{incidentId}/${action}`,
        tags,
        security: bearer,
        summary:
          action === 'ack'
            ? 'Acknowledge an open incident: no further repeats until it recovers; announced to whoever was told of it'
            : 'Resolve an incident by hand; announced to whoever was told of it',
        request: { params: IncidentParams, body: actionBody },
        responses: { 200: json(z.object({ incident: Incident }), 'the incident, as it is now'), ...bodyErrors, ...alreadyDone },
      }),
      async (c) => {
        const { appId, incidentId } = c.req.valid('param');
        const input = (await c.req.text()) ? c.req.valid('json') : {};
        const act = action === 'ack' ? acknowledgeIncident : resolveIncident;
        return c.json({ incident: await act(deps, appId, incidentId, input, c.var.principal) }, 200);
      },
    );
  }

  ackLinkRoutes(api, deps);
}

/**
 * The one-click link of a failure's messages: GET shows what it would acknowledge and a
 * button (mail scanners that open links acknowledge nothing); the button's form POST
 * acknowledges. No key: the signed token is the permission, for that incident only, until it
 * expires (core/incidents.ts).
 */
function ackLinkRoutes(api: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const html = { description: 'a page', content: { 'text/html': { schema: z.string() } } };
  const TokenParams = z.object({ token: z.string().max(128) });

  api.openapi(
    createRoute({
      method: 'get',
      path: '/ack/{token}',
      tags,
      summary: "A message's acknowledge link: a page with the incident and a button",
      request: { params: TokenParams },
      responses: { 200: html, 400: html, 403: html, 404: html, 410: html },
    }),
    async (c) => {
      const linked = await incidentOfLink(deps, c.req.valid('param').token);
      if (!linked.ok) return page(c, linked.status, 'Herald', `<p>${escapeHtml(linked.why)}</p>`);
      const { incident } = linked;
      if (incident.status !== 'open') return page(c, 200, 'Herald', `<p>${escapeHtml(doneAlready(incident))}</p>${facts(incident)}`);
      return page(
        c,
        200,
        'Acknowledge this incident?',
        `${facts(incident)}
<form method="post">
  <label>Your name or e-mail <input name="by" maxlength="200" autocomplete="email"></label>
  <label>Note <input name="note" maxlength="500" placeholder="looking into it"></label>
  <button type="submit">Acknowledge</button>
</form>`,
      );
    },
  );

  api.openapi(
    createRoute({
      method: 'post',
      path: '/ack/{token}',
      tags,
      summary: 'Acknowledge the incident the link names (the form of its page)',
      // Read as the form it is (by, note: application/x-www-form-urlencoded), whatever else comes: a page answers, never a 415.
      description: 'The form of the page: `by` (≤ 200 characters) and `note` (≤ 500), application/x-www-form-urlencoded.',
      request: { params: TokenParams },
      responses: { 200: html, 400: html, 403: html, 404: html, 409: html, 410: html },
    }),
    async (c) => {
      const linked = await incidentOfLink(deps, c.req.valid('param').token);
      if (!linked.ok) return page(c, linked.status, 'Herald', `<p>${escapeHtml(linked.why)}</p>`);
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const text = (name: string, max: number) =>
        typeof form[name] === 'string' ? (form[name] as string).trim().slice(0, max) : undefined;
      const by = text('by', 200);
      const note = text('note', 500);
      const { incident } = linked;
      try {
        const acked = await acknowledgeIncident(
          deps,
          incident.appId,
          incident.id,
          { ...(by ? { by } : {}), ...(note ? { note } : {}) },
          undefined,
        );
        return page(c, 200, 'Acknowledged', `<p>${escapeHtml(doneAlready(acked))}. Whoever was told of it hears so.</p>${facts(acked)}`);
      } catch (err) {
        if (!(err instanceof HeraldError) || err.status !== 409) throw err;
        const now = (await deps.incidents.get(incident.appId, incident.id)) ?? incident;
        return page(c, 409, 'Herald', `<p>${escapeHtml(doneAlready(now))}.</p>${facts(now)}`);
      }
    },
  );
}

const doneAlready = (incident: IncidentRecord): string =>
  incident.status === 'resolved'
    ? `Resolved${incident.resolvedBy ? ` by ${incident.resolvedBy}` : ''}`
    : `Acknowledged${incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : ''}${incident.note ? `: ${incident.note}` : ''}`;

const facts = (incident: IncidentRecord): string =>
  `<dl><dt>Incident</dt><dd>${escapeHtml(incident.title)}</dd><dt>Check</dt><dd>${escapeHtml(incident.check)}</dd>` +
  `<dt>App</dt><dd>${escapeHtml(incident.appId)}</dd><dt>Severity</dt><dd>${escapeHtml(incident.severity)}</dd>` +
  `<dt>Since</dt><dd>${escapeHtml(incident.since)}</dd><dt>Status</dt><dd>${escapeHtml(incident.status)}</dd></dl>`;

/**
 * A small page of its own: no script, no outside resource, never framed (a hidden frame
 * could make a click acknowledge), never cached, and the token in its address not passed on
 * to any other site.
 */
function page(c: Context, status: 200 | 400 | 403 | 404 | 409 | 410, title: string, body: string) {
  c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
  c.header('X-Frame-Options', 'DENY');
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1f2328}dt{font-weight:600;margin-top:.5rem}dd{margin:0}
label{display:block;margin:.75rem 0}input{display:block;width:100%;padding:.4rem;margin-top:.25rem;box-sizing:border-box}
button{padding:.6rem 1.2rem;background:#1f6feb;color:#fff;border:0;border-radius:4px;font-size:1rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    status,
  );
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
