import type { IncidentLedger } from '../../../shared/core/ports.js';
import { incidentExpiresAt, incidentKey } from '../../../shared/aws/item-keys.js';
import type { Table } from './table.js';

/*
 * Items:  INC#<appId> / <sha256 of the incident>   { stamp, expiresAt }   (item-keys.ts, as on DynamoDB)
 */
export class EmbeddedIncidentLedger implements IncidentLedger {
  constructor(private readonly table: Table) {}

  async advance(appId: string, incident: string, stamp: string): Promise<boolean> {
    const { pk, sk } = incidentKey(appId, incident);
    const noted = this.table.get(pk, sk);
    if (noted && String(noted['stamp']) > stamp) return false;
    this.table.put(pk, sk, { pk, sk, stamp, expiresAt: incidentExpiresAt() });
    return true;
  }
}
