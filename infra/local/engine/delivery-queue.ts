import { randomUUID } from 'node:crypto';
import type { DeadLetterQueues, DeliveryQueue, NotQueued, ReceivedMessage } from '../../../shared/core/ports.js';
import type { DeliveryMessage, Family } from '../../../shared/core/types.js';
import { groupOf, messagesOf, planMessages, type QueueMessage } from '../../../shared/aws/sqs-message-body.js';
import { logger } from '../../../shared/telemetry.js';
import { dlqOf, MessageNotInFlight, type Delivered, type EmbeddedQueues } from './queue.js';

/**
 * The family queues in the embedded engine: the same messages as on SQS (planMessages: the
 * deliveries of one event on one family together, split past SQS's limits). A message is
 * in its queue at once and on the disk with the journal's next write: the ingest's answer
 * waits for that (the gateway's `engine.durable()`), not each send.
 */
export class EmbeddedDeliveryQueue implements DeliveryQueue {
  constructor(private readonly queues: EmbeddedQueues) {}

  async enqueue(messages: DeliveryMessage[]): Promise<NotQueued[]> {
    const { planned, refused } = planMessages(messages);
    for (const { family, deliveries } of planned) this.queues.send(family, randomUUID(), groupOf(deliveries));
    return refused;
  }
}

/** A consumer's hold on one message of a family's queue (see ReceivedMessage). */
export class EmbeddedReceivedMessage implements ReceivedMessage {
  constructor(
    private readonly queues: EmbeddedQueues,
    private readonly family: Family,
    private readonly message: Delivered,
  ) {}

  async retryIn(seconds: number): Promise<void> {
    try {
      this.queues.changeVisibility(this.message.id, this.message.receipt, seconds);
    } catch (err) {
      // The message came back already (a stale receipt): the claim keeps it from going early.
      if (!(err instanceof MessageNotInFlight)) throw err;
      logger.warn('could not postpone the message', { messageId: this.message.id, error: err });
    }
  }

  async deadLetter(): Promise<void> {
    this.queues.send(dlqOf(this.family), randomUUID(), this.message.body);
  }

  /** A new message with these deliveries, delayed (up to SQS's 900 s: send clamps it; a crash before this one is acknowledged leaves two: the claim sends one). */
  async setAside(seconds: number, deliveries: DeliveryMessage[]): Promise<void> {
    this.queues.send(this.family, randomUUID(), groupOf(deliveries), seconds);
  }
}

/** The family DLQs in the embedded engine: drained by receive, hand over, delete, as on SQS. */
export class EmbeddedDeadLetterQueues implements DeadLetterQueues {
  constructor(private readonly queues: EmbeddedQueues) {}

  async drain(
    family: Family,
    { max, deadline }: { max: number; deadline: number },
    handle: (messages: DeliveryMessage[]) => Promise<void>,
  ): Promise<number> {
    const queue = dlqOf(family);
    let taken = 0;
    while (taken < max && Date.now() < deadline) {
      const received = this.queues.receive(queue, Math.min(10, max - taken));
      if (received.length === 0) break;
      await handle(received.flatMap((m) => messagesOf(m.body as QueueMessage)));
      for (const m of received) this.queues.delete(m.id, m.receipt);
      taken += received.length;
    }
    return taken;
  }
}
