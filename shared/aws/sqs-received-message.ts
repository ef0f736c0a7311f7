import { ChangeMessageVisibilityCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { ReceivedMessage } from '../core/ports.js';
import type { DeliveryMessage } from '../core/types.js';
import { encodeMessageBody } from './sqs-message-body.js';
import { logger } from '../telemetry.js';

/**
 * A channel function's hold on one SQS message (deliveries of one event): hide it until its
 * next attempt is due (ChangeMessageVisibility, so that it never holds up the rest of its
 * batch), put a copy in the family's DLQ, or set some of its deliveries aside as a new
 * message.
 */
export class SqsReceivedMessage implements ReceivedMessage {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly dlqUrl: string,
    private readonly record: Pick<SQSRecord, 'receiptHandle' | 'body' | 'messageId'>,
  ) {}

  async retryIn(seconds: number): Promise<void> {
    try {
      await this.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.queueUrl,
          ReceiptHandle: this.record.receiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (err) {
      // The message came back already (a stale receipt): the claim keeps it from going early.
      logger.warn('could not postpone the message', { messageId: this.record.messageId, error: err as Error });
    }
  }

  async deadLetter(): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.dlqUrl, MessageBody: this.record.body }));
  }

  /** A new message with these deliveries, delayed (a crash before this one is acknowledged leaves two: the claim sends one). */
  async setAside(seconds: number, deliveries: DeliveryMessage[]): Promise<void> {
    const DelaySeconds = Math.min(900, Math.max(0, Math.round(seconds)));
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: encodeMessageBody(deliveries), DelaySeconds }));
  }
}
