import { createHash } from 'node:crypto';

/*
 * The keys of the items that DynamoDB and the embedded store (infra/local/engine/) key
 * alike, in one place: a data dir moves from one to the other as it is
 * (infra/local/move-in.ts), which holds only while both build the same keys.
 *   APP#<id> / #APP                 an app
 *   APP#<appId> / NTF#<id>          a notifier, beside its app (global ones under APP#*)
 *   SIL#<appId> / <id>              a silence (global ones under SIL#*): apart from APP#, whose every
 *                                   item a version before silences reads as its app or a notifier
 *   CON#<appId> / <id>              a contact (installation-wide ones under CON#*)
 *   CGR#<appId> / <id>              a contact group
 *   KEYS#<appId> / <keyId>          a key as the API lists it, with its hash
 *   KEY#<sha256> / #KEY             the lookup of a presented key
 *   HB#<appId> / <server>           a server and its last heartbeat
 *   INC#<appId> / <sha256>          an incident tool's incident: its newest update (the ledger)
 *   ICD#<appId> / <id>              an incident of a check (incidents.ts), newest last
 *   ICDID#<id> / #ICD               the app of an incident, found by id (what a one-click link names)
 *   GRP#<notifierId> / <hash>       a group of a notifier's events (grouping.ts), by the hash of its values
 *   SRCS#<appId> / <sourceId>       an inbound source as the API lists it, with its secret
 *   SRC#<sourceId> / #SRC           the same, found by id (what an inbound request names)
 *   PACE#<destination> / #TAT       a destination's pacing bucket (pacing.ts), by the hash of what it names
 *   COAL#<key> / #OPEN              the coalesced notification gathering for one destination and recipient: its carrier
 *   COALN#<carrierId> / #NOTE       what a carrier will send: the notifications coalesced into it
 */
export interface ItemKey {
  pk: string;
  sk: string;
}

export const appKey = (id: string): ItemKey => ({ pk: `APP#${id}`, sk: '#APP' });

export const notifierKey = (appId: string, id: string): ItemKey => ({ pk: `APP#${appId}`, sk: `NTF#${id}` });

/** An app's silences: one partition per app. */
export const silencesPk = (appId: string) => `SIL#${appId}`;
export const silenceKey = (appId: string, id: string): ItemKey => ({ pk: silencesPk(appId), sk: id });

/** An app's contacts and contact groups: a partition each per app, apart from APP# (as silences, for the versions before). */
export const contactsPk = (appId: string) => `CON#${appId}`;
export const contactKey = (appId: string, id: string): ItemKey => ({ pk: contactsPk(appId), sk: id });
export const contactGroupsPk = (appId: string) => `CGR#${appId}`;
export const contactGroupKey = (appId: string, id: string): ItemKey => ({ pk: contactGroupsPk(appId), sk: id });

/** An app's keys as the API lists them: one partition per app. */
export const listedKeysPk = (appId: string) => `KEYS#${appId}`;
export const listedKey = (appId: string, keyId: string): ItemKey => ({ pk: listedKeysPk(appId), sk: keyId });
export const keyLookup = (hash: string): ItemKey => ({ pk: `KEY#${hash}`, sk: '#KEY' });

/** An app's inbound sources: listed in one partition per app, found by id in their own. */
export const listedSourcesPk = (appId: string) => `SRCS#${appId}`;
export const listedSource = (appId: string, sourceId: string): ItemKey => ({ pk: listedSourcesPk(appId), sk: sourceId });
export const sourceKey = (sourceId: string): ItemKey => ({ pk: `SRC#${sourceId}`, sk: '#SRC' });

/** An app's servers: one partition per app. */
export const serversPk = (appId: string) => `HB#${appId}`;
export const serverKey = (appId: string, server: string): ItemKey => ({ pk: serversPk(appId), sk: server });

/** An app's incidents: one partition per app, in the order they opened (ids sort by time). */
export const incidentsPk = (appId: string) => `ICD#${appId}`;
export const appIncidentKey = (appId: string, id: string): ItemKey => ({ pk: incidentsPk(appId), sk: id });
export const incidentLookupKey = (id: string): ItemKey => ({ pk: `ICDID#${id}`, sk: '#ICD' });

/** A group's key is `<notifierId>/<hash>` (core/grouping.ts): one partition per notifier. */
export const groupItemKey = (key: string): ItemKey => {
  const at = key.lastIndexOf('/');
  return { pk: `GRP#${key.slice(0, at)}`, sk: key.slice(at + 1) };
};

/** The incident names the provider's key (a routing key), so the item holds only its hash. */
export const incidentKey = (appId: string, incident: string): ItemKey => ({
  pk: `INC#${appId}`,
  sk: createHash('sha256').update(incident).digest('hex'),
});

/** Long after any retry of an update could come; correctness does not depend on its deletion. */
const INCIDENT_KEEP_DAYS = 30;

/** When an incident's item may go (unix seconds, the TTL attribute `expiresAt`). */
export const incidentExpiresAt = (nowMs: number = Date.now()) => Math.floor(nowMs / 1000) + INCIDENT_KEEP_DAYS * 86400;

/** Pacing (core/pacing.ts): a destination's bucket, the open coalesced notification of a recipient, and what a carrier carries. */
export const paceKey = (destination: string): ItemKey => ({ pk: `PACE#${destination}`, sk: '#TAT' });
export const coalesceOpenKey = (key: string): ItemKey => ({ pk: `COAL#${key}`, sk: '#OPEN' });
export const coalescedKey = (carrierId: string): ItemKey => ({ pk: `COALN#${carrierId}`, sk: '#NOTE' });
/** Pacing's items go a day after their last change (DynamoDB TTL; nothing depends on it). */
export const pacingExpiresAt = (nowMs: number = Date.now()) => Math.floor(nowMs / 1000) + 86_400;
