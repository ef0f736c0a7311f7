import { FAMILY_NAMES, type Family } from '../core/types.js';
import type { HeraldDeps } from './deps.js';

/** How many deliveries wait in each family's DLQ. */
export async function countDeadLetters(deps: Pick<HeraldDeps, 'deadLetters'>): Promise<Record<Family, { messages: number }>> {
  const counts = await Promise.all(FAMILY_NAMES.map(async (f) => [f, { messages: await deps.deadLetters.count(f) }] as const));
  return Object.fromEntries(counts) as Record<Family, { messages: number }>;
}

/** What one redrive call moves at most: it answers within an API Gateway timeout; call it again for more. */
const MAX_PER_REDRIVE = 1000;
const REDRIVE_SECONDS = 20;

/**
 * Send a family's dead deliveries again: each is made sendable with a fresh set of
 * attempts, put back on the family's queue, and only then deleted from the DLQ.
 */
export async function redriveDeadLetters(
  deps: Pick<HeraldDeps, 'deadLetters' | 'deliveries' | 'queue' | 'clock'>,
  family: Family,
): Promise<number> {
  const limits = { max: MAX_PER_REDRIVE, deadline: deps.clock().getTime() + REDRIVE_SECONDS * 1000 };
  return deps.deadLetters.drain(family, limits, async (messages) => {
    const now = deps.clock();
    await Promise.all(messages.map((m) => deps.deliveries.revive(m.delivery, now)));
    const notQueued = new Set(await deps.queue.enqueue(messages));
    return messages.filter((m) => !notQueued.has(m.delivery.id));
  });
}
