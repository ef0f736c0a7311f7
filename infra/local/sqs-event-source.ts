import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../../shared/telemetry.js';

export type SqsHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse | void>;

/**
 * What Lambda's SQS event source mapping does, for local mode: long-poll a queue, hand
 * batches of up to 10 records to the function, delete the records it did not report as
 * failed (ReportBatchItemFailures) and leave the others to reappear after their
 * visibility timeout; SQS (here fauxqs) moves a message to the DLQ after maxReceiveCount.
 * A function that throws fails its whole batch, as on Lambda. Like Lambda's many instances,
 * it does not wait for a batch before taking the next: up to `maxInFlight` records are
 * worked on at once, so that a slow record holds up no other batch.
 */
export class SqsEventSource {
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private abort = new AbortController();
  private inFlight = 0;
  private readonly batches = new Set<Promise<void>>();
  private roomFreed: () => void = () => {};

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly queueArn: string,
    private readonly handler: SqsHandler,
    private readonly options: { batchSize?: number; waitTimeSeconds?: number; region?: string; maxInFlight?: number } = {},
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.poll();
  }

  /** Stops taking messages, and waits for the batches under way. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.roomFreed();
    await this.loop;
    await Promise.all(this.batches);
  }

  private async poll(): Promise<void> {
    const maxInFlight = this.options.maxInFlight ?? 100;
    while (this.running) {
      if (this.inFlight >= maxInFlight) {
        await new Promise<void>((resolve) => (this.roomFreed = resolve));
        continue;
      }
      try {
        const out = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.queueUrl,
            MaxNumberOfMessages: Math.min(this.options.batchSize ?? 10, maxInFlight - this.inFlight),
            WaitTimeSeconds: this.options.waitTimeSeconds ?? 1,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: this.abort.signal },
        );
        const messages = out.Messages ?? [];
        if (messages.length === 0) continue;
        this.inFlight += messages.length;
        const batch = this.invoke(messages).finally(() => {
          this.inFlight -= messages.length;
          this.batches.delete(batch);
          this.roomFreed();
        });
        this.batches.add(batch);
      } catch (err) {
        if (!this.running) return;
        logger.error('local event source: receive failed', { queueUrl: this.queueUrl, error: err as Error });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private invoke(messages: Message[]): Promise<void> {
    return invokeWithBatch(this.sqs, { url: this.queueUrl, arn: this.queueArn, region: this.options.region }, this.handler, messages);
  }
}

/**
 * One invocation as the event source mapping makes it: the received messages as the SQS
 * event, handed to the function, then the records it did not report failed deleted. A
 * function that throws fails its whole batch (the messages reappear after their
 * visibility timeout). The bench calls it too.
 */
export async function invokeWithBatch(
  sqs: SQSClient,
  queue: { url: string; arn: string; region?: string | undefined },
  handler: SqsHandler,
  messages: Message[],
): Promise<void> {
  const event: SQSEvent = { Records: messages.map((m) => recordOf(m, queue.arn, queue.region ?? 'us-east-1')) };
  let failed: Set<string>;
  try {
    const response = await handler(event);
    failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  } catch (err) {
    logger.error('local event source: the function failed its batch', { queueUrl: queue.url, error: err as Error });
    return;
  }
  const done = messages.filter((m) => !failed.has(m.MessageId as string));
  if (done.length === 0) return;
  await sqs
    .send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
      }),
    )
    .catch((err: unknown) => logger.error('local event source: delete failed', { queueUrl: queue.url, error: err as Error }));
}

/** A received message as a record of the SQS event Lambda hands the function. */
function recordOf(m: Message, queueArn: string, region: string): SQSRecord {
  const a = m.Attributes ?? {};
  return {
    messageId: m.MessageId as string,
    receiptHandle: m.ReceiptHandle as string,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
