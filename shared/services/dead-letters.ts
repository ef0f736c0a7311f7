import type { DeliveryMessage, Family } from '../core/types.js';
import { FAMILY_NAMES } from '../core/types.js';
import type { HeraldDeps } from './deps.js';
import { queueStored, rebuildMessages } from './queueing.js';

/** How many dead deliveries each family has: its dead letters, read from the delivery records. */
export async function countDeadLetters(deps: Pick<HeraldDeps, 'deliveries'>): Promise<Record<Family, { messages: number }>> {
  const counts = await Promise.all(FAMILY_NAMES.map(async (f) => [f, { messages: await deps.deliveries.countDead(f) }] as const));
  return Object.fromEntries(counts) as Record<Family, { messages: number }>;
}

/** What one redrive call moves at most: it answers within an API Gateway timeout; call it again for more. */
const MAX_PER_REDRIVE = 1000;
const REDRIVE_SECONDS = 20;
const PAGE = 100;
const STILL_TO_SEND = new Set(['queued', 'retrying', 'sending']);

/**
 * Send a family's dead deliveries again: each is made sendable with a fresh set of attempts
 * (a conditional write on `dead`, so that a delivery resent or redriven since sends nothing
 * twice) and queued. First the DLQ's messages, each sent as it is when its delivery is still
 * dead; a delivery of one that is still to send (a crashing function left the message there
 * past maxReceiveCount) is marked for the sweeper, which queues it again; then the dead
 * records the DLQ had no message for (local mode after a restart), their messages rebuilt
 * from event and notifier. Returns how many were queued.
 */
export async function redriveDeadLetters(
  deps: Pick<HeraldDeps, 'deadLetters' | 'deliveries' | 'queue' | 'clock' | 'events' | 'apps' | 'notifiers' | 'contacts'>,
  family: Family,
): Promise<number> {
  const deadline = deps.clock().getTime() + REDRIVE_SECONDS * 1000;
  let moved = 0;
  const revive = async (messages: DeliveryMessage[]) => {
    const now = deps.clock();
    const revived = await Promise.all(
      messages.map(async (m) => {
        if (await deps.deliveries.revive(m.delivery, now)) return m;
        // Not dead: done (nothing to do), or still to send, its message gone with this one.
        const stored = await deps.deliveries.get(m.delivery.appId, m.delivery.id);
        if (stored && STILL_TO_SEND.has(stored.status)) await deps.deliveries.markUnqueued(m.delivery, now);
        return undefined;
      }),
    );
    // One not queued now is left to the sweeper. One a queue refuses for good is failed, not moved.
    const toQueue = revived.filter((m) => m !== undefined);
    moved += toQueue.length - (await queueStored(deps, toQueue, now, 0)).failed.length;
  };
  await deps.deadLetters.drain(family, { max: MAX_PER_REDRIVE, deadline }, revive);
  let cursor: string | undefined;
  while (moved < MAX_PER_REDRIVE && deps.clock().getTime() < deadline) {
    const page = await deps.deliveries.listDead(family, { limit: Math.min(PAGE, MAX_PER_REDRIVE - moved), ...(cursor ? { cursor } : {}) });
    await revive((await rebuildMessages(deps, page.items)).messages);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return moved;
}
