import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LISTED_MEMBERS, type GroupMember } from '../core/grouping.js';
import type { PacingStore } from '../core/ports.js';
import { unlessConditionFails, writtenUnlessConditionFails, type Table } from './dynamo-table.js';
import { coalescedKey, coalesceOpenKey, paceKey, pacingExpiresAt } from './item-keys.js';

/*
 * Items (item-keys.ts):
 *   PACE#<destination> / #TAT       { tat, expiresAt }
 *   COAL#<key> / #OPEN              { carrier, expiresAt }
 *   COALN#<carrierId> / #NOTE       { items, n, taken?, expiresAt }
 */
export class DynamoPacingStore implements PacingStore {
  /** Carriers whose list is full, as far as this process knows: members only counted, one write each. */
  private readonly full = new Set<string>();

  constructor(private readonly table: Table) {}

  async tatOf(destination: string): Promise<number> {
    const item = await this.get(paceKey(destination));
    return Number(item?.['tat'] ?? 0);
  }

  async moveTat(destination: string, expected: number, next: number): Promise<boolean> {
    return writtenUnlessConditionFails(
      this.table.client.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...paceKey(destination), tat: next, expiresAt: pacingExpiresAt() },
          // One conditional write per reservation: whoever moved it first wins, the other reads it again.
          ConditionExpression: expected ? 'tat = :expected' : 'attribute_not_exists(tat)',
          ...(expected ? { ExpressionAttributeValues: { ':expected': expected } } : {}),
        }),
      ),
    );
  }

  async openCarrier(key: string): Promise<string | undefined> {
    const item = await this.get(coalesceOpenKey(key));
    return typeof item?.['carrier'] === 'string' ? item['carrier'] : undefined;
  }

  async open(key: string, carrierId: string, previous: string | undefined): Promise<boolean> {
    const opened = await writtenUnlessConditionFails(
      this.table.client.send(
        new PutCommand({
          TableName: this.table.name,
          Item: { ...coalesceOpenKey(key), carrier: carrierId, expiresAt: pacingExpiresAt() },
          ConditionExpression: previous ? 'attribute_not_exists(carrier) OR carrier = :previous' : 'attribute_not_exists(carrier)',
          ...(previous ? { ExpressionAttributeValues: { ':previous': previous } } : {}),
        }),
      ),
    );
    // Opened before (a carrier's message received twice): what joined is kept.
    if (opened)
      await unlessConditionFails(
        this.table.client.send(
          new PutCommand({
            TableName: this.table.name,
            Item: { ...coalescedKey(carrierId), items: [], n: 0, expiresAt: pacingExpiresAt() },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    return opened;
  }

  async join(carrierId: string, member: GroupMember): Promise<boolean> {
    const update = (listed: boolean) =>
      writtenUnlessConditionFails(
        this.table.client.send(
          new UpdateCommand({
            TableName: this.table.name,
            Key: coalescedKey(carrierId),
            // The first LISTED_MEMBERS are listed; the rest are counted (an item holds 400 KB at most).
            UpdateExpression: listed ? 'SET #items = list_append(#items, :m), #n = #n + :one' : 'SET #n = #n + :one',
            ConditionExpression: `attribute_exists(#n) AND attribute_not_exists(#taken)${listed ? ' AND size(#items) < :listed' : ''}`,
            ExpressionAttributeNames: { '#n': 'n', '#taken': 'taken', ...(listed ? { '#items': 'items' } : {}) },
            ExpressionAttributeValues: { ':one': 1, ...(listed ? { ':m': [member], ':listed': LISTED_MEMBERS } : {}) },
          }),
        ),
      );
    if (!this.full.has(carrierId) && (await update(true))) return true;
    if (this.full.size > 1000) this.full.clear();
    this.full.add(carrierId);
    return update(false);
  }

  async take(carrierId: string): Promise<{ items: GroupMember[]; count: number }> {
    // Nothing opened under it: it carries nobody.
    const out = await unlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: coalescedKey(carrierId),
          UpdateExpression: 'SET #taken = :true',
          ConditionExpression: 'attribute_exists(#n)',
          ExpressionAttributeNames: { '#taken': 'taken', '#n': 'n' },
          ExpressionAttributeValues: { ':true': true },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    const item = out?.Attributes;
    return { items: (item?.['items'] as GroupMember[] | undefined) ?? [], count: Number(item?.['n'] ?? 0) };
  }

  private async get(key: { pk: string; sk: string }) {
    return (await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }))).Item;
  }
}
