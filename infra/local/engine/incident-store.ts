import { TOLD_KEPT, type Incident, type IncidentStatus, type Told } from '../../../shared/core/incidents.js';
import type { IncidentStore, Page, PageRequest } from '../../../shared/core/ports.js';
import { incidentOf } from '../../../shared/aws/dynamo-incident-store.js';
import { expiresAtOf } from '../../../shared/aws/event-records.js';
import { appIncidentKey, incidentLookupKey, incidentsPk } from '../../../shared/aws/item-keys.js';
import { pageOf, rangeAfter } from './pages.js';
import type { Item, Table } from './table.js';

/** Incidents in the embedded store, keyed as on DynamoDB (ICD#<appId> / <id>, ICDID#<id> / #ICD); resolved ones expire after the retention, as there. */
export class EmbeddedIncidentStore implements IncidentStore {
  constructor(
    private readonly table: Table,
    private readonly retentionDays: number,
  ) {}

  async open(incident: Incident): Promise<void> {
    const lookup = incidentLookupKey(incident.id);
    this.table.put(lookup.pk, lookup.sk, { ...lookup, appId: incident.appId });
    const { pk, sk } = appIncidentKey(incident.appId, incident.id);
    if (!this.table.get(pk, sk)) this.table.put(pk, sk, { pk, sk, ...incident });
  }

  async get(appId: string, incidentId: string): Promise<Incident | undefined> {
    const item = this.item(appId, incidentId);
    return item ? incidentOf({ ...item }) : undefined;
  }

  async appOf(incidentId: string): Promise<string | undefined> {
    const { pk, sk } = incidentLookupKey(incidentId);
    const appId = this.table.get(pk, sk)?.['appId'];
    return typeof appId === 'string' ? appId : undefined;
  }

  async list(appId: string, filter: { status?: IncidentStatus }, page: PageRequest): Promise<Page<Incident>> {
    const entries = this.table.query(incidentsPk(appId), rangeAfter(page, { descending: true }));
    return pageOf(filter.status ? only(entries, filter.status) : entries, page.limit, (item) => incidentOf({ ...item }));
  }

  async noteFailure(appId: string, incidentId: string, failure: Pick<Incident, 'severity' | 'title' | 'lastEventId'>): Promise<void> {
    this.update(appId, incidentId, () => ({ ...failure }));
  }

  async noteTold(appId: string, incidentId: string, told: Told[]): Promise<void> {
    this.update(appId, incidentId, (item) => {
      const before = (item['told'] as Told[] | undefined) ?? [];
      return before.length < TOLD_KEPT ? { told: [...before, ...told] } : undefined;
    });
  }

  async acknowledge(appId: string, incidentId: string, ack: { by: string; note?: string; at: Date }): Promise<Incident | undefined> {
    return this.update(appId, incidentId, (item) =>
      item['status'] === 'open'
        ? { status: 'acknowledged', acknowledgedAt: ack.at.toISOString(), acknowledgedBy: ack.by, ...(ack.note ? { note: ack.note } : {}) }
        : undefined,
    );
  }

  async resolve(appId: string, incidentId: string, resolution: { by: string; at: Date }): Promise<Incident | undefined> {
    const expiresAt = expiresAtOf(resolution.at, this.retentionDays);
    const resolved = this.update(appId, incidentId, (item) =>
      item['status'] === 'resolved'
        ? undefined
        : { status: 'resolved', resolvedAt: resolution.at.toISOString(), resolvedBy: resolution.by, expiresAt },
    );
    if (resolved) {
      const lookup = incidentLookupKey(incidentId);
      this.table.put(lookup.pk, lookup.sk, { ...lookup, appId, expiresAt });
    }
    return resolved;
  }

  async deleteAll(appId: string): Promise<void> {
    for (const [sk] of [...this.table.query(incidentsPk(appId))]) {
      this.table.delete(incidentsPk(appId), sk);
      const lookup = incidentLookupKey(sk);
      this.table.delete(lookup.pk, lookup.sk);
    }
  }

  private item(appId: string, incidentId: string) {
    const { pk, sk } = appIncidentKey(appId, incidentId);
    return this.table.get(pk, sk);
  }

  /** Applies a change to the incident, if there is one and `change` makes one: the incident after it. */
  private update(appId: string, incidentId: string, change: (item: Record<string, unknown>) => Record<string, unknown> | undefined) {
    const item = this.item(appId, incidentId);
    const changes = item && change({ ...item });
    if (!item || !changes) return undefined;
    const after = { ...item, ...changes };
    this.table.put(String(item['pk']), String(item['sk']), after);
    return incidentOf(after);
  }
}

function* only(entries: Iterable<[string, Item]>, status: IncidentStatus): Generator<[string, Item]> {
  for (const entry of entries) if (entry[1]['status'] === status) yield entry;
}
