import { randomUUID } from 'node:crypto';
import { MAX_KEPT } from '../kept.js';
import { bearer, inMemory, isString, jsonOf, refuse, type StandIn, type StateOf } from './stand-in.js';

const PD_SEVERITIES = new Set(['critical', 'error', 'warning', 'info']);

/**
 * PagerDuty Events API v2: POST /v2/enqueue; trigger (summary, source, severity) or
 * acknowledge/resolve by dedup_key; 202. It keeps each incident's state, as PagerDuty does,
 * so that the outbox shows which incidents are open.
 */
export function pagerdutyStandIn(stateOf: StateOf = inMemory): StandIn {
  const kept = stateOf<[string, 'triggered' | 'acknowledged' | 'resolved'][]>('pagerduty');
  const incidents = new Map(kept.value ?? []);
  return {
    provider: 'pagerduty',
    handle(req) {
      const invalid = (error: string) => refuse(400, { status: 'invalid event', message: 'Event object is invalid', errors: [error] });
      if (req.method !== 'POST' || req.path !== '/v2/enqueue') refuse(404, { status: 'not found', message: 'Not found' });
      const body = jsonOf(req, () => invalid('Malformed JSON'));
      if (!/^[A-Za-z0-9]{32}$/.test(String(body['routing_key'] ?? ''))) invalid("'routing_key' must be 32 characters");
      const action = body['event_action'];
      if (!['trigger', 'acknowledge', 'resolve'].includes(action))
        invalid("'event_action' is invalid (must be one of: trigger, acknowledge, resolve)");
      if (body['dedup_key'] !== undefined && !isString(body['dedup_key'], 255)) invalid("'dedup_key' must be at most 255 characters");
      if (action !== 'trigger' && !body['dedup_key']) invalid(`'dedup_key' is required for ${action}`);
      if (action === 'trigger') {
        const p = body['payload'] ?? {};
        if (!isString(p.summary, 1024)) invalid("'payload.summary' is missing or longer than 1024 characters");
        if (!isString(p.source, 255)) invalid("'payload.source' is missing");
        if (!PD_SEVERITIES.has(p.severity)) invalid("'payload.severity' is invalid (must be one of: critical, error, warning, info)");
      }
      const dedupKey = String(body['dedup_key'] ?? randomUUID().replace(/-/g, ''));
      const incident = `${body['routing_key']}/${dedupKey}`;
      const before = incidents.get(incident);
      if (action === 'trigger') incidents.set(incident, 'triggered');
      if (action === 'acknowledge' && incidents.get(incident) === 'triggered') incidents.set(incident, 'acknowledged');
      if (action === 'resolve' && incidents.has(incident)) incidents.set(incident, 'resolved');
      if (incidents.get(incident) !== before) {
        if (incidents.size > MAX_KEPT) incidents.delete(incidents.keys().next().value as string);
        kept.save([...incidents]);
      }
      const { routing_key: _key, ...delivered } = body;
      return {
        status: 202,
        json: { status: 'success', message: 'Event processed', dedup_key: dedupKey },
        delivered: { ...delivered, dedup_key: dedupKey, incident: incidents.get(incident) ?? 'none' },
      };
    },
  };
}

/** Opsgenie Alert API: POST /v2/alerts (create), /v2/alerts/{alias}/acknowledge and /close?identifierType=alias, `GenieKey` auth; 202. */
export const opsgenieStandIn: StandIn = {
  provider: 'opsgenie',
  handle(req) {
    const requestId = randomUUID();
    const fail = (status: number, message: string) => refuse(status, { message, took: 0.001, requestId });
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(bearer(req, 'GenieKey') ?? ''))
      fail(401, 'Could not authenticate');
    if (req.method !== 'POST') fail(405, 'Method not allowed');
    const body = jsonOf(req, () => fail(400, 'Could not parse the request body'));
    const update = /^\/v2\/alerts\/([^/]+)\/(close|acknowledge)$/.exec(req.path);
    if (update) {
      const [, alias, action] = update as unknown as [string, string, string];
      if (req.query.get('identifierType') !== 'alias') fail(422, `identifierType must be alias to ${action} by alias`);
      if (decodeURIComponent(alias).length > 512) fail(422, 'Alias can not be longer than 512 characters');
      for (const field of ['user', 'source'] as const)
        if (body[field] !== undefined && !isString(body[field], 100)) fail(422, `${field} can not be longer than 100 characters`);
      if (body['note'] !== undefined && !isString(body['note'], 25000)) fail(422, 'Note can not be longer than 25000 characters');
      return {
        status: 202,
        json: { result: 'Request will be processed', took: 0.001, requestId },
        delivered: { action, alias: decodeURIComponent(alias), ...body },
      };
    }
    if (req.path !== '/v2/alerts') fail(404, 'Not found');
    if (!isString(body['message'], 130)) fail(422, 'Message can not be empty and can not be longer than 130 characters');
    if (body['alias'] !== undefined && !isString(body['alias'], 512)) fail(422, 'Alias can not be longer than 512 characters');
    if (body['description'] !== undefined && !isString(body['description'], 15000))
      fail(422, 'Description can not be longer than 15000 characters');
    if (body['priority'] !== undefined && !/^P[1-5]$/.test(body['priority'])) fail(422, 'Priority should be one of P1, P2, P3, P4, P5');
    return { status: 202, json: { result: 'Request will be processed', took: 0.001, requestId }, delivered: { action: 'create', ...body } };
  },
};

/** Fresh stand-ins, with PagerDuty's incidents kept in `stateOf`. */
export const incidentStandIns = (stateOf: StateOf = inMemory): StandIn[] => [pagerdutyStandIn(stateOf), opsgenieStandIn];
