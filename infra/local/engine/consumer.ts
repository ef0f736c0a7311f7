import type { ReceivedMessage } from '../../../shared/core/ports.js';
import type { DeliveryMessage, Family } from '../../../shared/core/types.js';
import { messagesOf, type QueueMessage } from '../../../shared/aws/sqs-message-body.js';
import { RetryScheduled } from '../../../shared/services/deliver.js';
import { fireTimers, parseTimerMessage, TimersFailed, type TimerDeps, type TimerHandlers } from '../../../shared/services/timers.js';
import { logger } from '../../../shared/telemetry.js';
import { EmbeddedReceivedMessage } from './delivery-queue.js';
import type { Delivered, EmbeddedQueues } from './queue.js';
import { TIMER_QUEUE } from './timer-queue.js';

export type Deliver = (messages: DeliveryMessage[], received: ReceivedMessage) => Promise<unknown>;
/** What a consumer does with one message; it throws to leave the message on the queue (and logs why: the consumer does not). */
export type Handle = (message: Delivered) => Promise<unknown>;

/** A family's consumer: each message's deliveries to `deliver`; one that throws for another reason than a retry scheduled is logged. */
export function familyConsumer(
  queues: EmbeddedQueues,
  family: Family,
  deliver: Deliver,
  options: { maxInFlight?: number; now?: () => number } = {},
): QueueConsumer {
  const handle: Handle = async (message) => {
    try {
      return await deliver(messagesOf(message.body as QueueMessage), new EmbeddedReceivedMessage(queues, family, message));
    } catch (err) {
      if (!(err instanceof RetryScheduled))
        logger.error('delivery attempt failed unexpectedly', { family, messageId: message.id, error: err as Error });
      throw err;
    }
  };
  return new QueueConsumer(queues, family, handle, options);
}

/** The timer queue's consumer (the sweeper function's event source on AWS): each message's timer to fireTimers, which logs a timer that failed. */
export function timerConsumer(queues: EmbeddedQueues, deps: TimerDeps, handlers: TimerHandlers): QueueConsumer {
  const handle: Handle = async (message) => {
    try {
      await fireTimers(deps, handlers, [parseTimerMessage(message.body)]);
    } catch (err) {
      if (!(err instanceof TimersFailed)) logger.error('a timer could not be read', { messageId: message.id, error: err as Error });
      throw err;
    }
  };
  return new QueueConsumer(queues, TIMER_QUEUE, handle);
}

/**
 * What Lambda's SQS event source does, for a queue in the embedded engine (a family's, the
 * timer queue): takes the visible messages, up to `maxInFlight` at once (as Lambda's
 * instances would), hands each to `handle`, and deletes it once handled. A message whose
 * handle throws stays: hidden until its retry (a family's RetryScheduled: deliver set its
 * visibility), or, after an unexpected error, until the visibility timeout ends, as a
 * failed record of a batch on Lambda; after maxReceiveCount receives the queue moves it to
 * the DLQ. It wakes when a message is sent, and at the time the next hidden one shows.
 */
export class QueueConsumer {
  private running = false;
  private inFlight = 0;
  private readonly working = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private woken = false;

  constructor(
    private readonly queues: EmbeddedQueues,
    private readonly queue: string,
    private readonly handle: Handle,
    private readonly options: { maxInFlight?: number; now?: () => number } = {},
  ) {}

  start(): void {
    this.running = true;
    // A message sent shows at once: take it after the sender's own turn (its change is kept first).
    this.queues.onVisible(this.queue, () => this.wake());
    this.wake();
  }

  /** Stops taking messages, and waits for those under way. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    while (this.working.size) await Promise.all(this.working);
  }

  private wake(): void {
    if (this.woken || !this.running) return;
    this.woken = true;
    queueMicrotask(() => {
      this.woken = false;
      this.take();
    });
  }

  private get maxInFlight(): number {
    return this.options.maxInFlight ?? 100;
  }

  private take(): void {
    while (this.running && this.inFlight < this.maxInFlight) {
      const received = this.queues.receive(this.queue, Math.min(10, this.maxInFlight - this.inFlight));
      if (received.length === 0) break;
      for (const message of received) this.work(message);
    }
    // When full, the next message is taken as one under way ends.
    if (this.inFlight < this.maxInFlight) this.wakeAtNextVisible();
  }

  private work(message: Delivered): void {
    this.inFlight++;
    const work = Promise.resolve()
      .then(() => this.handle(message))
      .then(
        () => this.queues.delete(message.id, message.receipt),
        () => {}, // left on the queue; handle said why
      )
      .catch((err: unknown) => logger.error('could not acknowledge a message', { queue: this.queue, error: err as Error }))
      .finally(() => {
        this.inFlight--;
        this.working.delete(work);
        this.wake();
      });
    this.working.add(work);
  }

  /** A timer for when the next hidden message shows (a retry, a delay, a visibility timeout). */
  private wakeAtNextVisible(): void {
    const at = this.queues.nextVisibleAt(this.queue);
    if (at === undefined || !this.running || at >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    const now = (this.options.now ?? Date.now)();
    this.timer = setTimeout(
      () => {
        this.timerAt = Infinity;
        this.take();
      },
      Math.max(0, at - now) + 5,
    );
  }
}
