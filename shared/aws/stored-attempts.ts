import type { Attempt } from '../core/types.js';

/*
 * A delivery's attempts as its record keeps them, bounded whatever happens (a record is
 * one DynamoDB item, at most 400 KB; see event-records.ts, "Size"):
 *   a        the first FIRST_ATTEMPTS attempts, a list (list_append: one write, no read)
 *   z<k>     each later attempt n in slot k = n mod LAST_ATTEMPTS, written over the one
 *            LAST_ATTEMPTS before it: the latest LAST_ATTEMPTS are kept
 *   t        how many attempts the slots were given (the count of those left out)
 * A delivery sent within FIRST_ATTEMPTS attempts (nearly all) is stored as it always was.
 * An error or a reason longer than MAX_TEXT_BYTES of UTF-8 keeps its start and its end.
 */

export const FIRST_ATTEMPTS = 2;
export const LAST_ATTEMPTS = 8;
/** UTF-8 bytes of an attempt's error or a delivery's reason kept at most. */
export const MAX_TEXT_BYTES = 512;

export interface StoredAttempt {
  n: number;
  at: string;
  o: Attempt['outcome'];
  sc?: number;
  e?: string;
  l: number;
}

/** The attempt fields of a stored delivery. */
export type StoredAttempts = { a: StoredAttempt[]; t?: number } & { [slot: `z${number}`]: StoredAttempt | undefined };

const SLOTS = Array.from({ length: LAST_ATTEMPTS }, (_, k) => `z${k}` as const);

/** Where attempt `n` is kept: appended to the list (undefined), or in a slot. */
export const slotOf = (n: number): `z${number}` | undefined => (n <= FIRST_ATTEMPTS ? undefined : `z${n % LAST_ATTEMPTS}`);

/** The delivery with one more attempt (the embedded store's write; DynamoDB's expression does the same). */
export function withAttempt<D extends StoredAttempts>(d: D, attempt: StoredAttempt): D {
  const slot = slotOf(attempt.n);
  if (!slot) return { ...d, a: [...(d.a ?? []), attempt] };
  return { ...d, [slot]: attempt, t: Number(d.t ?? 0) + 1 };
}

/** The attempts kept, oldest first, and how many were made when some are left out. */
export function attemptsOf(d: StoredAttempts): { attempts: Attempt[]; count?: number } {
  const listed = d.a ?? [];
  const slotted = SLOTS.flatMap((s) => d[s] ?? []);
  if (slotted.length === 0) return { attempts: listed.map(attemptOf) };
  // A slot whose newer attempt never came (a claim that died) still holds an older one: left out.
  const latest = Math.max(...slotted.map((a) => a.n));
  const kept = slotted.filter((a) => a.n > latest - LAST_ATTEMPTS).sort((x, y) => x.n - y.n);
  return { attempts: [...listed, ...kept].map(attemptOf), count: listed.length + Number(d.t ?? kept.length) };
}

export const storedAttempt = (a: Attempt): StoredAttempt => ({
  n: a.n,
  at: a.at,
  o: a.outcome,
  ...(a.statusCode ? { sc: a.statusCode } : {}),
  ...(a.error ? { e: clippedText(a.error) } : {}),
  l: a.latencyMs,
});

const attemptOf = (a: StoredAttempt): Attempt => ({
  n: a.n,
  at: a.at,
  outcome: a.o,
  ...(a.sc ? { statusCode: a.sc } : {}),
  ...(a.e ? { error: a.e } : {}),
  latencyMs: a.l,
});

/**
 * At most `max` bytes of UTF-8: the start and the end (where an error says what answered,
 * "HTTP 503"), an ellipsis between, each cut at a character's boundary, never inside one.
 */
export function clippedText(text: string, max = MAX_TEXT_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  const room = max - 3; // the ellipsis is 3 bytes
  let head = Math.ceil((room * 2) / 3);
  let tail = bytes.length - (room - head);
  // A continuation byte (10xxxxxx) is inside a character: the head ends before it, the tail starts after it.
  while (head > 0 && isContinuation(bytes[head])) head--;
  while (tail < bytes.length && isContinuation(bytes[tail])) tail++;
  return `${bytes.subarray(0, head).toString('utf8')}…${bytes.subarray(tail).toString('utf8')}`;
}

const isContinuation = (byte: number | undefined) => byte !== undefined && (byte & 0xc0) === 0x80;
