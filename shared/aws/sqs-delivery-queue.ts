import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryQueue } from '../core/ports.js';
import type { ChannelName, DeliveryMessage } from '../core/types.js';
import { logger } from '../telemetry.js';

/** SQS's limits, enforced here because the emulator does not. */
const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * The channel queues on SQS: SendMessageBatch per channel, ≤ 10 messages and ≤ 256 KiB a
 * call, every call in parallel. Entries SQS refuses come back as ids that were not queued;
 * their delivery records stay `queued` for the sweeper.
 */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrlOf: (channel: ChannelName) => string,
  ) {}

  async enqueue(messages: DeliveryMessage[]): Promise<string[]> {
    const batches: { channel: ChannelName; entries: { Id: string; MessageBody: string }[] }[] = [];
    const open = new Map<ChannelName, { channel: ChannelName; entries: { Id: string; MessageBody: string }[]; bytes: number }>();
    for (const message of messages) {
      const body = JSON.stringify(message);
      const size = Buffer.byteLength(body);
      const channel = message.delivery.channel;
      let batch = open.get(channel);
      if (!batch || batch.entries.length === MAX_BATCH_ENTRIES || batch.bytes + size > MAX_BATCH_BYTES) {
        batch = { channel, entries: [], bytes: 0 };
        open.set(channel, batch);
        batches.push(batch);
      }
      batch.entries.push({ Id: String(batch.entries.length), MessageBody: body });
      batch.bytes += size;
    }
    const failed = await Promise.all(batches.map((batch) => this.sendBatch(batch.channel, batch.entries)));
    return failed.flat();
  }

  private async sendBatch(channel: ChannelName, entries: { Id: string; MessageBody: string }[]): Promise<string[]> {
    const idOf = (entryId: string) =>
      (JSON.parse(entries[Number(entryId)]?.MessageBody ?? '{}') as DeliveryMessage).delivery?.id ?? entryId;
    try {
      const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrlOf(channel), Entries: entries }));
      const failed = (out.Failed ?? []).map((f) => idOf(f.Id ?? ''));
      if (failed.length) logger.warn('SQS refused some deliveries', { channel, failed: out.Failed });
      return failed;
    } catch (err) {
      logger.error('SendMessageBatch failed', { channel, error: err as Error });
      return entries.map((e) => idOf(e.Id));
    }
  }
}
