import { createHash } from 'node:crypto';
import type { IncidentLedger } from '../../../shared/core/ports.js';
import type { Table } from './table.js';

/** Long after any retry of an update could come. */
const KEEP_DAYS = 30;

/*
 * Items:  INC#<appId> / <sha256 of the incident>   { stamp, expiresAt }
 */
export class EmbeddedIncidentLedger implements IncidentLedger {
  constructor(private readonly table: Table) {}

  async advance(appId: string, incident: string, stamp: string): Promise<boolean> {
    const [pk, sk] = [`INC#${appId}`, createHash('sha256').update(incident).digest('hex')];
    const noted = this.table.get(pk, sk);
    if (noted && String(noted['stamp']) > stamp) return false;
    this.table.put(pk, sk, { pk, sk, stamp, expiresAt: Math.floor(Date.now() / 1000) + KEEP_DAYS * 86400 });
    return true;
  }
}
