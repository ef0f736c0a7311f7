/*
 * Where an event's deliveries are stored, decided when they are planned: a store item is
 * bounded (DynamoDB refuses one over 400 KB), and the claim of a delivery must write the
 * item that holds it without reading anything first (its attempt may come before the
 * ingest's write). So the queue message says where: `part` (absent: the event's record).
 *
 * An event of up to RECORD_DELIVERIES deliveries keeps them all in its record, as every
 * event did before parts (so a record written then is simply one without parts). An event
 * with more keeps none there: its deliveries, in the order of their ids, fill parts 1, 2,
 * ... of PART_DELIVERIES each. The sizes come from the most one delivery can ever hold
 * (shared/aws/event-records.ts, "Size"): the record also holds the event (up to 64 KiB).
 */

/** Deliveries an event's record holds itself; an event with more keeps them in parts. */
export const RECORD_DELIVERIES = 30;
/** Deliveries a part holds at most. */
export const PART_DELIVERIES = 40;

/**
 * The part of each delivery of an event, by id: none when the record holds them all. The
 * same set of ids gives the same parts (a resumed request stores each where its first try did).
 */
export function partsOf(deliveryIds: readonly string[]): Map<string, number> {
  if (deliveryIds.length <= RECORD_DELIVERIES) return new Map();
  return new Map([...deliveryIds].sort().map((id, i) => [id, 1 + Math.floor(i / PART_DELIVERIES)]));
}
