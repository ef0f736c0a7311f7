import { randomUUID } from 'node:crypto';
import type { Timer, TimerQueue } from '../../../shared/core/ports.js';
import { delaySecondsOf, timerMessageOf } from '../../../shared/services/timers.js';
import type { EmbeddedQueues } from './queue.js';

/** The timer queue's name in the embedded engine (its DLQ: `timers-dlq`). */
export const TIMER_QUEUE = 'timers';

/**
 * The timer queue in the embedded engine: each timer one message, delayed as on SQS (whole
 * seconds, 900 at most: the consumer sets a longer one again), kept on the disk by the
 * journal with the rest, so that a timer set before a restart fires after it.
 */
export class EmbeddedTimerQueue implements TimerQueue {
  constructor(
    private readonly queues: EmbeddedQueues,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async set(timers: { timer: Timer; at: Date }[]): Promise<void> {
    const now = this.clock();
    for (const { timer, at } of timers) this.queues.send(TIMER_QUEUE, randomUUID(), timerMessageOf(timer, at), delaySecondsOf(at, now));
  }
}
