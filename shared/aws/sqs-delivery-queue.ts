import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue, NotQueued } from '../core/ports.js';
import type { DeliveryMessage, Family } from '../core/types.js';
import { logger } from '../telemetry.js';
import { planMessages } from './sqs-message-body.js';

/** SQS's limits, enforced here because the emulator does not. */
const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * The family queues on SQS. The deliveries of one event on one family go in one message
 * (at most 10 deliveries and 256 KiB, split past that), so that their claim and outcomes
 * are one write each; messages go out by SendMessageBatch per family, ≤ 10 entries and
 * ≤ 256 KiB a call, every call in parallel. Bodies are encoded so that any Unicode travels.
 * What SQS refuses for good (an entry it blames on the sender, a message over its size
 * limit) comes back permanent; a call that fails (throttled, unreachable) comes back for
 * now, and the caller has the sweeper queue it later.
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrlOf: (family: Family) => string,
  ) {}

  async enqueue(messages: DeliveryMessage[]): Promise<NotQueued[]> {
    const { planned, refused } = planMessages(messages);
    const batches: Batch[] = [];
    const open = new Map<Family, Batch>();
    for (const { family, deliveries, body, bytes } of planned) {
      let batch = open.get(family);
      if (!batch || batch.bodies.length === MAX_BATCH_ENTRIES || batch.bytes + bytes > MAX_BATCH_BYTES) {
        batch = { family, deliveryIds: [], bodies: [], bytes: 0 };
        open.set(family, batch);
        batches.push(batch);
      }
      batch.deliveryIds.push(deliveries.map((m) => m.delivery.id));
      batch.bodies.push(body);
      batch.bytes += bytes;
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
      const failed = (out.Failed ?? []).flatMap((f) =>
        (batch.deliveryIds[Number(f.Id)] ?? []).map((deliveryId) => ({
          deliveryId,
          reason: `SQS refused it: ${f.Code}${f.Message ? `: ${f.Message}` : ''}`,
          permanent: f.SenderFault === true,
        })),
      );
      if (failed.length) logger.warn('SQS refused some deliveries', { family: batch.family, failed: out.Failed });
      return failed;
    } catch (err) {
      logger.error('SendMessageBatch failed', { family: batch.family, error: err as Error });
      const reason = `the ${batch.family} queue could not be reached: ${(err as Error).message}`;
      return batch.deliveryIds.flat().map((deliveryId) => ({ deliveryId, reason, permanent: false }));
    }
  }
}

interface Batch {
  family: Family;
  /** The deliveries of each entry. */
  deliveryIds: string[][];
  bodies: string[];
  bytes: number;
}
