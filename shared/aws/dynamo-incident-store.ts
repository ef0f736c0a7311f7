import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TOLD_KEPT, type Incident, type IncidentStatus, type Told } from '../core/incidents.js';
import type { IncidentStore, Page, PageRequest } from '../core/ports.js';
import { expiresAtOf } from './event-records.js';
import {
  batchWrite,
  fromItem,
  queryAll,
  queryFilteredPage,
  queryPage,
  unlessConditionFails,
  writtenUnlessConditionFails,
  type Table,
} from './dynamo-table.js';
import { appIncidentKey, incidentLookupKey, incidentsPk } from './item-keys.js';

/*
 * Items:  ICD#<appId> / <id>    the incident (incidents.ts), newest last (ids sort by time)
 *         ICDID#<id> / #ICD     { appId }: the app of an incident a one-click link names
 *
 * An incident stays while it is open or acknowledged; once resolved, both items go after
 * the retention (DynamoDB TTL, `expiresAt`), as events do.
 */

/** An incident as stored: the same, without its keys and TTL, who was told deduplicated. */
export function incidentOf(item: Record<string, unknown>): Incident {
  const { pk: _pk, sk: _sk, expiresAt: _ttl, ...incident } = item;
  const told = new Map(((incident['told'] as Told[] | undefined) ?? []).map((t) => [`${t.notifierId}\n${t.recipient}`, t]));
  return { ...fromItem<Incident>(incident), told: [...told.values()].slice(0, TOLD_KEPT) };
}

export class DynamoIncidentStore implements IncidentStore {
  constructor(
    private readonly table: Table,
    private readonly retentionDays: number,
  ) {}

  async open(incident: Incident): Promise<void> {
    // The lookup first (the same whoever writes it), then the incident if it is not there yet
    // (a resumed request opens it again): a link to an incident that exists always finds it.
    // Not one transaction: dynalite has none (TOOLCHAIN.md), and neither write needs the other's condition.
    await this.table.client.send(
      new PutCommand({ TableName: this.table.name, Item: { ...incidentLookupKey(incident.id), appId: incident.appId } }),
    );
    await writtenUnlessConditionFails(
      this.table.client.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...appIncidentKey(incident.appId, incident.id), ...incident },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(appId: string, incidentId: string): Promise<Incident | undefined> {
    const out = await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: appIncidentKey(appId, incidentId) }));
    return out.Item ? incidentOf(out.Item) : undefined;
  }

  async appOf(incidentId: string): Promise<string | undefined> {
    const out = await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: incidentLookupKey(incidentId) }));
    return typeof out.Item?.['appId'] === 'string' ? out.Item['appId'] : undefined;
  }

  async list(appId: string, filter: { status?: IncidentStatus }, page: PageRequest): Promise<Page<Incident>> {
    const query = {
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': incidentsPk(appId), ...(filter.status ? { ':s': filter.status } : {}) },
      ScanIndexForward: false,
      ...(filter.status ? { FilterExpression: '#status = :s', ExpressionAttributeNames: { '#status': 'status' } } : {}),
    };
    const found = filter.status
      ? await queryFilteredPage<Record<string, unknown>>(this.table, query, ['pk', 'sk'], page.limit, page.cursor)
      : await queryPage<Record<string, unknown>>(this.table, query, page.limit, page.cursor);
    return { items: found.items.map(incidentOf), nextCursor: found.nextCursor };
  }

  async noteFailure(appId: string, incidentId: string, failure: Pick<Incident, 'severity' | 'title' | 'lastEventId'>): Promise<void> {
    await unlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: appIncidentKey(appId, incidentId),
          UpdateExpression: 'SET severity = :severity, title = :title, lastEventId = :last',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':severity': failure.severity, ':title': failure.title, ':last': failure.lastEventId },
        }),
      ),
    );
  }

  async noteTold(appId: string, incidentId: string, told: Told[]): Promise<void> {
    // Appended (a failure's deliveries are told by one request, another failure's by another); read back deduplicated.
    await unlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: appIncidentKey(appId, incidentId),
          UpdateExpression: 'SET told = list_append(if_not_exists(told, :none), :told)',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(told) OR size(told) < :kept)',
          ExpressionAttributeValues: { ':none': [], ':told': told, ':kept': TOLD_KEPT },
        }),
      ),
    );
  }

  async acknowledge(appId: string, incidentId: string, ack: { by: string; note?: string; at: Date }): Promise<Incident | undefined> {
    const out = await unlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: appIncidentKey(appId, incidentId),
          UpdateExpression: `SET #status = :acknowledged, acknowledgedAt = :at, acknowledgedBy = :by${ack.note ? ', note = :note' : ''}`,
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':acknowledged': 'acknowledged',
            ':open': 'open',
            ':at': ack.at.toISOString(),
            ':by': ack.by,
            ...(ack.note ? { ':note': ack.note } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return out?.Attributes ? incidentOf(out.Attributes) : undefined;
  }

  async resolve(appId: string, incidentId: string, resolution: { by: string; at: Date }): Promise<Incident | undefined> {
    const expiresAt = expiresAtOf(resolution.at, this.retentionDays);
    const out = await unlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: appIncidentKey(appId, incidentId),
          UpdateExpression: 'SET #status = :resolved, resolvedAt = :at, resolvedBy = :by, expiresAt = :ttl',
          ConditionExpression: 'attribute_exists(pk) AND #status <> :resolved',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':resolved': 'resolved',
            ':at': resolution.at.toISOString(),
            ':by': resolution.by,
            ':ttl': expiresAt,
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    if (!out?.Attributes) return undefined;
    await writtenUnlessConditionFails(
      this.table.client.send(new PutCommand({ TableName: this.table.name, Item: { ...incidentLookupKey(incidentId), appId, expiresAt } })),
    );
    return incidentOf(out.Attributes);
  }

  async deleteAll(appId: string): Promise<void> {
    const items = await queryAll(this.table, {
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': incidentsPk(appId) },
      ProjectionExpression: 'pk, sk',
    });
    await batchWrite(
      this.table,
      items.flatMap((i) => [{ delete: { pk: String(i['pk']), sk: String(i['sk']) } }, { delete: incidentLookupKey(String(i['sk'])) }]),
    );
  }
}
