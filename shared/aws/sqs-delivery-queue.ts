import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue, NotQueued } from '../core/ports.js';
import { familyOf, type DeliveryMessage, type Family } from '../core/types.js';
import { logger } from '../telemetry.js';
import { encodeMessageBody, MAX_MESSAGE_BYTES } from './sqs-message-body.js';

/** SQS's limits, enforced here because the emulator does not. */
const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * The family queues on SQS: SendMessageBatch per family, ≤ 10 messages and ≤ 256 KiB a
 * call, every call in parallel. Bodies are encoded so that any Unicode travels. What SQS
 * refuses for good (an entry it blames on the sender, a message over its size limit) comes
 * back permanent; a call that fails (throttled, unreachable) comes back for now, and its
 * delivery records stay `queued` for the sweeper.
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrlOf: (family: Family) => string,
  ) {}

  async enqueue(messages: DeliveryMessage[]): Promise<NotQueued[]> {
    const refused: NotQueued[] = [];
    const batches: Batch[] = [];
    const open = new Map<Family, Batch>();
    for (const message of messages) {
      const body = encodeMessageBody(message);
      const size = Buffer.byteLength(body);
      if (size > MAX_MESSAGE_BYTES) {
        const reason = `the delivery's message is ${Math.ceil(size / 1024)} KiB, over SQS's limit of ${MAX_MESSAGE_BYTES / 1024} KiB (a smaller event, or fewer template overrides)`;
        refused.push({ deliveryId: message.delivery.id, reason, permanent: true });
        continue;
      }
      const family = familyOf(message.delivery.channel);
      let batch = open.get(family);
      if (!batch || batch.bodies.length === MAX_BATCH_ENTRIES || batch.bytes + size > MAX_BATCH_BYTES) {
        batch = { family, deliveryIds: [], bodies: [], bytes: 0 };
        open.set(family, batch);
        batches.push(batch);
      }
      batch.deliveryIds.push(message.delivery.id);
      batch.bodies.push(body);
      batch.bytes += size;
    }
    const failed = await Promise.all(batches.map((batch) => this.send(batch)));
    return [...refused, ...failed.flat()];
  }

  /** One SendMessageBatch; entry ids are positions in the batch. */
  private async send(batch: Batch): Promise<NotQueued[]> {
    try {
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrlOf(batch.family),
          Entries: batch.bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })),
        }),
      );
      const failed = (out.Failed ?? []).map((f) => ({
        deliveryId: batch.deliveryIds[Number(f.Id)] as string,
        reason: `SQS refused it: ${f.Code}${f.Message ? `: ${f.Message}` : ''}`,
        permanent: f.SenderFault === true,
      }));
      if (failed.length) logger.warn('SQS refused some deliveries', { family: batch.family, failed: out.Failed });
      return failed;
    } catch (err) {
      logger.error('SendMessageBatch failed', { family: batch.family, error: err as Error });
      const reason = `the ${batch.family} queue could not be reached: ${(err as Error).message}`;
      return batch.deliveryIds.map((deliveryId) => ({ deliveryId, reason, permanent: false }));
    }
  }
}

interface Batch {
  family: Family;
  deliveryIds: string[];
  bodies: string[];
  bytes: number;
}
