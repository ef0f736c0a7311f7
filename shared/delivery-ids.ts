/*
 * How a delivery's id names its event: pure string work, with no Node module, so that the
 * console's bundle can import it too (a grouped delivery links to the delivery that carried it).
 */

/**
 * A delivery's id: `dlv_`, its event's ULID, and the 10 characters that tell it from the
 * event's other deliveries (its key in the event's record), so the event is read from the id.
 */
export const deliveryIdOf = (eventId: string, key: string): string => `dlv_${eventId.slice(4)}${key}`;

/** The event a delivery belongs to, from the delivery's id. */
export const eventIdOfDelivery = (deliveryId: string): string => `evt_${deliveryId.slice(4, 30)}`;

/** A grouped delivery's reason: the delivery that carried it (its group's notification). */
export const carriedBy = (carrierId: string): string => `carried by ${carrierId}`;

/** The delivery a grouped delivery's reason says carried it, if it says so. */
export const carrierOf = (reason: string | undefined): string | undefined => /^carried by (dlv_[0-9a-z]+)$/.exec(reason ?? '')?.[1];
