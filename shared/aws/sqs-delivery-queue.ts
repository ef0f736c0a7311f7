import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue, NotQueued } from '../core/ports.js';
import { familyOf, type DeliveryMessage, type Family } from '../core/types.js';
import { logger } from '../telemetry.js';
import { encodeMessageBody, MAX_DELIVERIES_PER_MESSAGE, MAX_MESSAGE_BYTES } from './sqs-message-body.js';

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
    const refused: NotQueued[] = [];
    const batches: Batch[] = [];
    const open = new Map<Family, Batch>();
    const work = [...groups(messages)];
    for (let group = work.shift(); group; group = work.shift()) {
      const body = encodeMessageBody(group);
      const size = Buffer.byteLength(body);
      if (size > MAX_MESSAGE_BYTES) {
        if (group.length > 1) {
          // Too big together: in halves.
          const half = Math.ceil(group.length / 2);
          work.push(group.slice(0, half), group.slice(half));
          continue;
        }
        const reason = `the delivery's message is ${Math.ceil(size / 1024)} KiB, over SQS's limit of ${MAX_MESSAGE_BYTES / 1024} KiB (a smaller event, or fewer template overrides)`;
        refused.push({ deliveryId: (group[0] as DeliveryMessage).delivery.id, reason, permanent: true });
        continue;
      }
      const family = familyOf((group[0] as DeliveryMessage).delivery.channel);
      let batch = open.get(family);
      if (!batch || batch.bodies.length === MAX_BATCH_ENTRIES || batch.bytes + size > MAX_BATCH_BYTES) {
        batch = { family, deliveryIds: [], bodies: [], bytes: 0 };
        open.set(family, batch);
        batches.push(batch);
      }
      batch.deliveryIds.push(group.map((m) => m.delivery.id));
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

/**
 * The deliveries of one event on one family, at most MAX_DELIVERIES_PER_MESSAGE a group; a
 * delivery that carries the event as a notifier changed it (a "bad behavior" of a
 * throttle) goes in a group of its own, since a group carries its event once.
 */
function* groups(messages: DeliveryMessage[]): Generator<DeliveryMessage[]> {
  const byKey = new Map<string, DeliveryMessage[]>();
  for (const m of messages) {
    const key = `${m.delivery.eventId} ${m.event.type} ${familyOf(m.delivery.channel)}`;
    const group = byKey.get(key) ?? [];
    group.push(m);
    byKey.set(key, group);
    if (group.length === MAX_DELIVERIES_PER_MESSAGE) {
      byKey.delete(key);
      yield group;
    }
  }
  yield* byKey.values();
}

interface Batch {
  family: Family;
  /** The deliveries of each entry. */
  deliveryIds: string[][];
  bodies: string[];
  bytes: number;
}
