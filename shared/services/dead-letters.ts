import type { ChannelName } from '../core/types.js';
import { CHANNEL_NAMES } from '../core/types.js';
import type { HeraldDeps } from './deps.js';

/** How many deliveries wait in each channel's DLQ. */
export async function countDeadLetters(deps: Pick<HeraldDeps, 'deadLetters'>): Promise<Record<ChannelName, { messages: number }>> {
  const counts = await Promise.all(CHANNEL_NAMES.map(async (c) => [c, { messages: await deps.deadLetters.count(c) }] as const));
  return Object.fromEntries(counts) as Record<ChannelName, { messages: number }>;
}

/** What one redrive call moves at most: it answers within an API Gateway timeout; call it again for more. */
const MAX_PER_REDRIVE = 1000;
const REDRIVE_SECONDS = 20;

/**
 * Send a channel's dead deliveries again: each is made sendable with a fresh set of
 * attempts, put back on the channel's queue, and only then deleted from the DLQ.
 */
export async function redriveDeadLetters(
  deps: Pick<HeraldDeps, 'deadLetters' | 'deliveries' | 'queue' | 'clock'>,
  channel: ChannelName,
): Promise<number> {
  const limits = { max: MAX_PER_REDRIVE, deadline: deps.clock().getTime() + REDRIVE_SECONDS * 1000 };
  return deps.deadLetters.drain(channel, limits, async (messages) => {
    const now = deps.clock();
    await Promise.all(messages.map((m) => deps.deliveries.revive(m.delivery, now)));
    const notQueued = new Set(await deps.queue.enqueue(messages));
    return messages.filter((m) => !notQueued.has(m.delivery.id));
  });
}
