import type { NotQueued } from '../core/ports.js';
import { familyOf, type DeliveryMessage, type Family } from '../core/types.js';

/** SQS's limit on a message, body and attributes together. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** Deliveries one queue message carries at most (each is a provider call of the same invocation). */
export const MAX_DELIVERIES_PER_MESSAGE = 10;

/** Every character outside printable ASCII: SQS refuses some of them (U+FFFE, U+FFFF, most controls), the emulator every emoji. */
const BEYOND_ASCII = /[\u0080-\uffff]/g;

/**
 * A queue message carries deliveries of one event on one family's queue, so that their
 * claim and their outcomes are one write each: the event and app once, and each delivery
 * with its notifier.
 */
export interface QueueMessage {
  v: 2;
  event: DeliveryMessage['event'];
  app: DeliveryMessage['app'];
  deliveries: Pick<DeliveryMessage, 'delivery' | 'notifier' | PacingField>[];
}

/** What pacing notes on a delivery set aside (services/pacing.ts): it travels with the delivery. */
type PacingField = 'pacedAt' | 'rateLimitedSince' | 'carrier';

export function groupOf(messages: DeliveryMessage[]): QueueMessage {
  const [first] = messages;
  if (!first) throw new Error('a queue message carries at least one delivery');
  return {
    v: 2,
    event: first.event,
    app: first.app,
    deliveries: messages.map(({ delivery, notifier, pacedAt, rateLimitedSince, carrier }) => ({
      delivery,
      notifier,
      ...(pacedAt ? { pacedAt } : {}),
      ...(rateLimitedSince ? { rateLimitedSince } : {}),
      ...(carrier ? { carrier } : {}),
    })),
  };
}

/**
 * A queue message as an SQS body: JSON in printable ASCII, every other character written
 * as a `\u` escape, so that any Unicode a user typed (an emoji, a lone surrogate, U+FFFF)
 * travels through SQS, whose character set refuses some of it. Still plain JSON.
 */
export function encodeMessageBody(messages: DeliveryMessage[]): string {
  return asciiJson(groupOf(messages));
}

/** JSON in printable ASCII (every other character a `\u` escape): any Unicode travels on SQS and its emulator. Still plain JSON. */
export const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(BEYOND_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The deliveries of a body: a queue message, or one delivery as bodies were written before (v1). */
export function decodeMessageBody(body: string): DeliveryMessage[] {
  return messagesOf(JSON.parse(body) as QueueMessage | DeliveryMessage);
}

/** The deliveries of a queue message (or of one delivery as v1 bodies have it). */
export function messagesOf(parsed: QueueMessage | DeliveryMessage): DeliveryMessage[] {
  if (parsed.v === 1) return [parsed];
  return parsed.deliveries.map((d) => ({ v: 1, ...d, event: parsed.event, app: parsed.app }));
}

/** A queue message to send: its family, its deliveries, its body and the body's size. */
export interface PlannedMessage {
  family: Family;
  deliveries: DeliveryMessage[];
  body: string;
  bytes: number;
}

/**
 * The queue messages that carry `messages` (every queue, SQS or local mode's, takes the
 * same): the deliveries of one event on one family together, at most
 * MAX_DELIVERIES_PER_MESSAGE a message and MAX_MESSAGE_BYTES (split in halves past that);
 * a single delivery over the size is refused for good.
 */
export function planMessages(messages: DeliveryMessage[]): { planned: PlannedMessage[]; refused: NotQueued[] } {
  const planned: PlannedMessage[] = [];
  const refused: NotQueued[] = [];
  const work = [...groups(messages)];
  for (let group = work.shift(); group; group = work.shift()) {
    const body = encodeMessageBody(group);
    const bytes = Buffer.byteLength(body);
    if (bytes > MAX_MESSAGE_BYTES) {
      if (group.length > 1) {
        // Too big together: in halves.
        const half = Math.ceil(group.length / 2);
        work.push(group.slice(0, half), group.slice(half));
        continue;
      }
      const reason = `the delivery's message is ${Math.ceil(bytes / 1024)} KiB, over SQS's limit of ${MAX_MESSAGE_BYTES / 1024} KiB (a smaller event, or fewer template overrides)`;
      refused.push({ deliveryId: (group[0] as DeliveryMessage).delivery.id, reason, permanent: true });
      continue;
    }
    planned.push({ family: familyOf((group[0] as DeliveryMessage).delivery.channel), deliveries: group, body, bytes });
  }
  return { planned, refused };
}

/**
 * The deliveries of one event on one family, at most MAX_DELIVERIES_PER_MESSAGE a group,
 * by the event they carry (a group carries its event once): the event as posted, or as a
 * notifier changed it, a "bad behavior" of its throttle, whose title says how many in how
 * long (two throttles' differ; the same throttle's are the same event).
 */
function* groups(messages: DeliveryMessage[]): Generator<DeliveryMessage[]> {
  const byKey = new Map<string, DeliveryMessage[]>();
  for (const m of messages) {
    const key = JSON.stringify([m.delivery.eventId, m.event.type, m.event.title, familyOf(m.delivery.channel)]);
    const group = byKey.get(key) ?? [];
    group.push(m);
    byKey.set(key, group);
    if (group.length === MAX_DELIVERIES_PER_MESSAGE) {
      byKey.delete(key);
      yield group;
    }
  }
  yield* byKey.values();
}
