import type { DeliveryMessage } from '../core/types.js';

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
  deliveries: Pick<DeliveryMessage, 'delivery' | 'notifier'>[];
}

export function groupOf(messages: DeliveryMessage[]): QueueMessage {
  const [first] = messages;
  if (!first) throw new Error('a queue message carries at least one delivery');
  return { v: 2, event: first.event, app: first.app, deliveries: messages.map(({ delivery, notifier }) => ({ delivery, notifier })) };
}

/**
 * A queue message as an SQS body: JSON in printable ASCII, every other character written
 * as a `\u` escape, so that any Unicode a user typed (an emoji, a lone surrogate, U+FFFF)
 * travels through SQS, whose character set refuses some of it. Still plain JSON.
 */
export function encodeMessageBody(messages: DeliveryMessage[]): string {
  return JSON.stringify(groupOf(messages)).replace(BEYOND_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The deliveries of a body: a queue message, or one delivery as bodies were written before (v1). */
export function decodeMessageBody(body: string): DeliveryMessage[] {
  const parsed = JSON.parse(body) as QueueMessage | DeliveryMessage;
  if (parsed.v === 1) return [parsed];
  return parsed.deliveries.map(({ delivery, notifier }) => ({ v: 1, delivery, notifier, event: parsed.event, app: parsed.app }));
}
