import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterQueues } from '../core/ports.js';
import type { Family, DeliveryMessage } from '../core/types.js';
import { logger } from '../telemetry.js';

/**
 * The family DLQs on SQS. Draining is receive, hand over, delete (the emulator has no
 * StartMessageMoveTask, and this way each message is dealt with before it leaves the DLQ).
 */
export class SqsDeadLetterQueues implements DeadLetterQueues {
  constructor(
    private readonly sqs: SQSClient,
    private readonly dlqUrlOf: (family: Family) => string,
  ) {}

  async count(family: Family): Promise<number> {
    const out = await this.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.dlqUrlOf(family),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  async drain(
    family: Family,
    { max, deadline }: { max: number; deadline: number },
    handle: (messages: DeliveryMessage[]) => Promise<DeliveryMessage[]>,
  ): Promise<number> {
    const queueUrl = this.dlqUrlOf(family);
    let moved = 0;
    while (moved < max && Date.now() < deadline) {
      const out = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max - moved),
          WaitTimeSeconds: 1,
          VisibilityTimeout: 60,
        }),
      );
      const received = (out.Messages ?? []).flatMap((m) => {
        try {
          return [{ handle: m.ReceiptHandle as string, message: JSON.parse(m.Body ?? '') as DeliveryMessage }];
        } catch {
          logger.error('a DLQ message is not a delivery; left in place', { family, messageId: m.MessageId });
          return [];
        }
      });
      if (received.length === 0) break;
      const done = new Set(await handle(received.map((r) => r.message)));
      const toDelete = received.filter((r) => done.has(r.message));
      if (toDelete.length) {
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: toDelete.map((r, i) => ({ Id: String(i), ReceiptHandle: r.handle })),
          }),
        );
      }
      moved += toDelete.length;
      if (toDelete.length < received.length) break;
    }
    return moved;
  }
}
