import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IncidentLedger } from '../core/ports.js';
import { writtenUnlessConditionFails, type Table } from './dynamo-table.js';

/** Long after any retry of an update could come; correctness does not depend on its deletion. */
const KEEP_DAYS = 30;

/*
 * Items:  INC#<appId> / <sha256 of the incident>   { stamp, expiresAt }
 * The incident names the provider's key (a routing key), so the item holds only its hash.
 */
export class DynamoIncidentLedger implements IncidentLedger {
  constructor(private readonly table: Table) {}

  async advance(appId: string, incident: string, stamp: string): Promise<boolean> {
    return writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: { pk: `INC#${appId}`, sk: createHash('sha256').update(incident).digest('hex') },
          UpdateExpression: 'SET stamp = :stamp, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(stamp) OR stamp <= :stamp',
          ExpressionAttributeValues: { ':stamp': stamp, ':expires': Math.floor(Date.now() / 1000) + KEEP_DAYS * 86400 },
        }),
      ),
    );
  }
}
