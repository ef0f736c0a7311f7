import type { DeliveryMessage } from '../core/types.js';

/** SQS's limit on a message, body and attributes together. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/** Every character outside printable ASCII: SQS refuses some of them (U+FFFE, U+FFFF, most controls), the emulator every emoji. */
const BEYOND_ASCII = /[\u0080-\uffff]/g;

/**
 * A delivery message as an SQS body: JSON in printable ASCII, every other character
 * written as a `\u` escape, so that any Unicode a user typed (an emoji, a lone surrogate,
 * U+FFFF) travels through SQS, whose character set refuses some of it. Still plain JSON:
 * `decodeMessageBody` reads it, and reads bodies queued before it was used.
 */
export function encodeMessageBody(message: DeliveryMessage): string {
  return JSON.stringify(message).replace(BEYOND_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function decodeMessageBody(body: string): DeliveryMessage {
  return JSON.parse(body) as DeliveryMessage;
}
