import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterQueues } from '../core/ports.js';
import type { DeliveryMessage, Family } from '../core/types.js';
import { logger } from '../telemetry.js';
import { decodeMessageBody } from './sqs-message-body.js';

/**
 * The family DLQs on SQS. Draining is receive, hand over, delete (the emulator has no
 * StartMessageMoveTask, and this way each message is dealt with before it leaves the DLQ).
 */
export class SqsDeadLetterQueues implements DeadLetterQueues {
  constructor(
    private readonly sqs: SQSClient,
    private readonly dlqUrlOf: (family: Family) => string,
  ) {}

  async drain(
    family: Family,
    { max, deadline }: { max: number; deadline: number },
    handle: (messages: DeliveryMessage[]) => Promise<void>,
  ): Promise<number> {
    const queueUrl = this.dlqUrlOf(family);
    let taken = 0;
    while (taken < max && Date.now() < deadline) {
      const out = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, max - taken),
          WaitTimeSeconds: 1,
          VisibilityTimeout: 60,
        }),
      );
      const received = (out.Messages ?? []).flatMap((m) => {
        try {
          return [{ handle: m.ReceiptHandle as string, message: decodeMessageBody(m.Body ?? '') }];
        } catch {
          logger.error('a DLQ message is not a delivery; left in place', { family, messageId: m.MessageId });
          return [];
        }
      });
      if (received.length === 0) break;
      await handle(received.flatMap((r) => r.message));
      await this.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: received.map((r, i) => ({ Id: String(i), ReceiptHandle: r.handle })),
        }),
      );
      taken += received.length;
    }
    return taken;
  }
}
