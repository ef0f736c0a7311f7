import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue } from '../core/ports.js';
import { familyOf, type DeliveryMessage, type Family } from '../core/types.js';
import { logger } from '../telemetry.js';

/** SQS's limits, enforced here because the emulator does not. */
const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * The family queues on SQS: SendMessageBatch per family, ≤ 10 messages and ≤ 256 KiB a
 * call, every call in parallel. Entries SQS refuses come back as ids that were not queued;
 * their delivery records stay `queued` for the sweeper.
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrlOf: (family: Family) => string,
  ) {}

  async enqueue(messages: DeliveryMessage[]): Promise<string[]> {
    const batches: Batch[] = [];
    const open = new Map<Family, Batch>();
    for (const message of messages) {
      const body = JSON.stringify(message);
      const size = Buffer.byteLength(body);
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
    return failed.flat();
  }

  /** One SendMessageBatch; entry ids are positions in the batch. */
  private async send(batch: Batch): Promise<string[]> {
    try {
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrlOf(batch.family),
          Entries: batch.bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })),
        }),
      );
      const failed = (out.Failed ?? []).map((f) => batch.deliveryIds[Number(f.Id)] as string);
      if (failed.length) logger.warn('SQS refused some deliveries', { family: batch.family, failed: out.Failed });
      return failed;
    } catch (err) {
      logger.error('SendMessageBatch failed', { family: batch.family, error: err as Error });
      return batch.deliveryIds;
    }
  }
}

interface Batch {
  family: Family;
  deliveryIds: string[];
  bodies: string[];
  bytes: number;
}
