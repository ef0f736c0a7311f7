import { SendMessageBatchCommand, type BatchResultErrorEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { Timer, TimerQueue } from '../core/ports.js';
import { delaySecondsOf, timerMessageOf } from '../services/timers.js';
import { logger } from '../telemetry.js';
import { asciiJson } from './sqs-message-body.js';

/** SQS's limit on a batch's entries (a timer is a few hundred bytes: ten stay far below 256 KiB). */
const MAX_BATCH_ENTRIES = 10;
/** Waits before sending again what SQS refused for now (an entry it failed on its side, throttling). */
const RETRY_WAITS_MS = [100, 400, 1600];

/** Timers SQS would not take: the caller's work fails, so that whatever set them is tried again. */
export class TimersNotSet extends Error {
  constructor(reasons: string[]) {
    super(`SQS refused ${reasons.length} timer(s): ${[...new Set(reasons)].join('; ')}`);
    this.name = 'TimersNotSet';
  }
}

/**
 * The timer queue on SQS: each timer one message, its body the TimerMessage (JSON in ASCII,
 * so that a group's key in any script travels), delayed until it is due, or by SQS's 900 s
 * at most (the consumer sets it again for what is left). SendMessageBatch in chunks of 10,
 * in parallel. An entry SQS fails on its side is sent again a few times; one it blames on
 * the sender (or still failing) makes `set` throw TimersNotSet once the rest are sent.
 */
export class SqsTimerQueue implements TimerQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: () => string,
    private readonly clock: () => Date = () => new Date(),
    private readonly retryWaitsMs: readonly number[] = RETRY_WAITS_MS,
  ) {}

  async set(timers: { timer: Timer; at: Date }[]): Promise<void> {
    const now = this.clock();
    const entries = timers.map(({ timer, at }) => ({ body: asciiJson(timerMessageOf(timer, at)), delay: delaySecondsOf(at, now) }));
    const chunks: Entry[][] = [];
    for (let i = 0; i < entries.length; i += MAX_BATCH_ENTRIES) chunks.push(entries.slice(i, i + MAX_BATCH_ENTRIES));
    const refused = (await Promise.all(chunks.map((chunk) => this.send(chunk)))).flat();
    if (refused.length) throw new TimersNotSet(refused);
  }

  /** One chunk, sent again while SQS fails entries on its side; the reasons of those it still refuses. */
  private async send(entries: Entry[]): Promise<string[]> {
    let pending = entries;
    for (let attempt = 0; ; attempt++) {
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl(),
          Entries: pending.map((e, i) => ({ Id: String(i), MessageBody: e.body, DelaySeconds: e.delay })),
        }),
      );
      const failed = out.Failed ?? [];
      if (failed.length === 0) return [];
      logger.warn('SQS refused some timers', { failed });
      const wait = this.retryWaitsMs[attempt];
      if (wait === undefined || failed.some((f) => f.SenderFault)) return failed.map(reasonOf);
      pending = failed.map((f) => pending[Number(f.Id)] as Entry);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

interface Entry {
  body: string;
  delay: number;
}

const reasonOf = (f: BatchResultErrorEntry) => `${f.Code}${f.Message ? `: ${f.Message}` : ''}`;
