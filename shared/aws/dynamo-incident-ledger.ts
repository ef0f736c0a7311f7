import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IncidentLedger } from '../core/ports.js';
import { writtenUnlessConditionFails, type Table } from './dynamo-table.js';
import { incidentExpiresAt, incidentKey } from './item-keys.js';

/*
 * Items:  INC#<appId> / <sha256 of the incident>   { stamp, expiresAt }   (item-keys.ts)
 */
export class DynamoIncidentLedger implements IncidentLedger {
  constructor(private readonly table: Table) {}

  async advance(appId: string, incident: string, stamp: string): Promise<boolean> {
    return writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: incidentKey(appId, incident),
          UpdateExpression: 'SET stamp = :stamp, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(stamp) OR stamp <= :stamp',
          ExpressionAttributeValues: { ':stamp': stamp, ':expires': incidentExpiresAt() },
        }),
      ),
    );
  }
}
