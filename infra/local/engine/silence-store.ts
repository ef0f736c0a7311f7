import type { HeldFailure, SilenceStore } from '../../../shared/core/ports.js';
import type { Silence } from '../../../shared/core/silences.js';
import { heldAttribute, heldFailuresOf, silenceItem, silenceOf } from '../../../shared/aws/dynamo-silence-store.js';
import { silenceKey, silencesPk } from '../../../shared/aws/item-keys.js';
import type { Table } from './table.js';

/** Silences in the embedded store, keyed as on DynamoDB (SIL#<appId> / <id>); expired a week after they end, as there. */
export class EmbeddedSilenceStore implements SilenceStore {
  constructor(private readonly table: Table) {}

  async put(silence: Silence): Promise<void> {
    const item = silenceItem(silence);
    this.table.put(item.pk, item.sk, item);
  }

  async get(appId: string, silenceId: string): Promise<Silence | undefined> {
    const { pk, sk } = silenceKey(appId, silenceId);
    const item = this.table.get(pk, sk);
    return item ? silenceOf({ ...item }) : undefined;
  }

  async list(appId: string): Promise<Silence[]> {
    return [...this.table.query(silencesPk(appId), { descending: true })].map(([, item]) => silenceOf({ ...item }));
  }

  async expire(appId: string, silenceId: string, at: Date): Promise<boolean> {
    const silence = await this.get(appId, silenceId);
    const now = at.toISOString();
    if (!silence || silence.expiredAt || silence.endsAt <= now) return false;
    // silenceItem counts its TTL from expiredAt; the failures it holds stay (told as it ends).
    const { pk, sk } = silenceKey(appId, silenceId);
    this.table.put(pk, sk, { ...this.table.get(pk, sk), ...silenceItem({ ...silence, expiredAt: now }) });
    return true;
  }

  async deleteAll(appId: string): Promise<void> {
    for (const [sk] of [...this.table.query(silencesPk(appId))]) this.table.delete(silencesPk(appId), sk);
  }

  async holdFailure(appId: string, silenceId: string, failure: { stateKey: string; appId: string; eventId?: string }): Promise<void> {
    const { pk, sk } = silenceKey(appId, silenceId);
    const item = this.table.get(pk, sk);
    if (!item) return;
    const { eventId, ...check } = failure;
    const held = heldAttribute(failure.stateKey);
    const { [held]: _before, ...rest } = item;
    this.table.put(pk, sk, eventId ? { ...rest, [held]: { ...check, eventId } } : rest);
  }

  async heldFailures(appId: string, silenceId: string): Promise<HeldFailure[]> {
    const { pk, sk } = silenceKey(appId, silenceId);
    const item = this.table.get(pk, sk);
    return item ? heldFailuresOf({ ...item }) : [];
  }

  async countSilenced(appId: string, silenceId: string, events: number): Promise<void> {
    const silence = await this.get(appId, silenceId);
    const { pk, sk } = silenceKey(appId, silenceId);
    const item = this.table.get(pk, sk);
    if (silence && item) this.table.put(pk, sk, { ...item, silenced: (silence.silenced ?? 0) + events });
  }
}
