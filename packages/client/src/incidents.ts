import type { HeraldApi } from './api.js';
import type { components, paths } from './schema.js';

export type Incident = components['schemas']['Incident'];
export type IncidentStatus = components['schemas']['IncidentStatus'];
/** Who acknowledges or resolves (free text such as an e-mail; default: the key) and why. */
export type IncidentAction = components['schemas']['IncidentAction'];

/** `status` (one: the API filters by one; none: every incident), `limit` (1 to 100, default 20), `cursor` (the previous page's nextCursor). */
export type IncidentQuery = NonNullable<paths['/v1/apps/{appId}/incidents']['get']['parameters']['query']>;

export interface IncidentPage {
  incidents: Incident[];
  /** Pass it back as `cursor`; null on the last page. */
  nextCursor: string | null;
}

/**
 * An app's incidents, with the admin key: a failing check opens one, its recovery resolves it
 * (`resolvedBy: "recovery"`). Acknowledged, an incident holds its further failures until it
 * recovers; an acknowledgement or a resolution is announced to whoever was told of it. The
 * console and `herald incidents` manage incidents through it.
 */
export class HeraldIncidents {
  constructor(private readonly api: HeraldApi) {}

  /** Newest first, a page at a time. */
  async list(appId: string, query: IncidentQuery = {}): Promise<IncidentPage> {
    const { incidents, nextCursor } = await this.api.get('/v1/apps/{appId}/incidents', { path: { appId }, query });
    return { incidents, nextCursor };
  }

  async get(appId: string, incidentId: string): Promise<Incident> {
    return (await this.api.get('/v1/apps/{appId}/incidents/{incidentId}', { path: { appId, incidentId } })).incident;
  }

  /** open → acknowledged: no further messages of its failures until it recovers. A 409 (its message says by whom) when acknowledged or resolved already. */
  async ack(appId: string, incidentId: string, action: IncidentAction = {}): Promise<Incident> {
    return (await this.api.post('/v1/apps/{appId}/incidents/{incidentId}/ack', { path: { appId, incidentId }, body: action })).incident;
  }

  /** open or acknowledged → resolved by hand. A 409 (saying by whom) when resolved already. */
  async resolve(appId: string, incidentId: string, action: IncidentAction = {}): Promise<Incident> {
    return (await this.api.post('/v1/apps/{appId}/incidents/{incidentId}/resolve', { path: { appId, incidentId }, body: action })).incident;
  }
}
