import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { decodeMessageBody } from '../../shared/aws/sqs-message-body.js';
import { SqsReceivedMessage } from '../../shared/aws/sqs-received-message.js';
import { channelDeps, heraldDeps } from '../../shared/aws/wiring.js';
import type { IncidentLedger, PacingStore, ReceivedMessage } from '../../shared/core/ports.js';
import type { DeliveryMessage, Family } from '../../shared/core/types.js';
import type { HeraldDeps } from '../../shared/services/deps.js';
import { messagesOf, type QueueMessage } from '../../shared/aws/sqs-message-body.js';
import { EmbeddedReceivedMessage } from '../../infra/local/engine/delivery-queue.js';
import { Engine } from '../../infra/local/engine/engine.js';
import { dlqOf } from '../../infra/local/engine/queue.js';
import { embeddedStores } from '../../infra/local/engine/wiring.js';
import { EmbeddedTimerQueue, TIMER_QUEUE } from '../../infra/local/engine/timer-queue.js';
import { parseTimerMessage, type TimerMessage } from '../../shared/services/timers.js';
import { startEmulators, type Emulators } from '../../infra/local/emulators.js';
import { provisionTestAws } from '../support/herald.js';

/** The ports a contract test exercises. */
export type Stores = Pick<
  HeraldDeps,
  | 'apps'
  | 'keys'
  | 'sources'
  | 'silences'
  | 'notifiers'
  | 'contacts'
  | 'events'
  | 'deliveries'
  | 'queue'
  | 'deadLetters'
  | 'heartbeats'
  | 'repeats'
  | 'states'
  | 'incidents'
  | 'groups'
  | 'timers'
> & { incidentLedger: IncidentLedger; pacing: PacingStore };

/** A message as a consumer holds it: its deliveries, its hold on it, and its acknowledgement (the event source's delete). */
export interface Taken {
  messages: DeliveryMessage[];
  received: ReceivedMessage;
}

/** One implementation of the ports, fresh (its own table and queues), with the consumer's side of its queues. */
export interface Backend {
  stores: Stores;
  /** The visible messages of a family's queue (or its DLQ), each hidden for the visibility timeout once taken. */
  take(family: Family, options?: { dlq?: boolean }): Promise<Taken[]>;
  /** The timers the timer queue shows now, each deleted as taken (the consumer's part). */
  takeTimers(): Promise<TimerMessage[]>;
  /** In how many seconds each timer the timer queue hides (delayed) shows. */
  hiddenTimers(): Promise<number[]>;
  /** The time as the backend has it (a timer's due time counts from it). */
  now(): Date;
  /** Lets `seconds` pass: a fake clock's, or real time on the emulators. */
  pass(seconds: number): Promise<void>;
  close(): Promise<void>;
}

export type BackendName = 'DynamoDB and SQS (emulators)' | 'embedded engine';

let emulators: Emulators | undefined;
let users = 0;

async function awsBackend(): Promise<Backend> {
  users++;
  emulators ??= await startEmulators();
  const { config, dynamodb, sqs, queues, timerQueue } = await provisionTestAws(emulators);
  const sqsEndpoint = emulators.sqs;
  const deps = heraldDeps(config, { dynamodb });
  return {
    stores: { ...deps, ...(({ incidentLedger, pacing }) => ({ incidentLedger, pacing }))(channelDeps(config, { dynamodb })) },
    async take(family, options = {}) {
      const url = options.dlq ? queues[family].dlqUrl : queues[family].url;
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      return (out.Messages ?? []).map((m) => ({
        messages: decodeMessageBody(m.Body ?? ''),
        received: new SqsReceivedMessage(sqs, queues[family].url, queues[family].dlqUrl, {
          receiptHandle: m.ReceiptHandle as string,
          body: m.Body ?? '',
          messageId: m.MessageId as string,
        }),
      }));
    },
    async takeTimers() {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: timerQueue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      const messages = out.Messages ?? [];
      if (messages.length)
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: timerQueue.url,
            Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
          }),
        );
      return messages.map((m) => parseTimerMessage(m.Body ?? ''));
    },
    async hiddenTimers() {
      // fauxqs shows a queue's delayed messages (the SQS API does not): when each shows.
      const name = timerQueue.url.split('/').pop() as string;
      const state = (await (await fetch(`${sqsEndpoint}/_fauxqs/queues/${name}`)).json()) as {
        messages: { delayed: { delayUntil: number }[] };
      };
      return state.messages.delayed.map((m) => (m.delayUntil - Date.now()) / 1000);
    },
    now: () => new Date(),
    pass: (seconds) => new Promise((r) => setTimeout(r, seconds * 1000)),
    async close() {
      if (--users === 0) {
        await emulators?.stop();
        emulators = undefined;
      }
    },
  };
}

async function embeddedBackend(): Promise<Backend> {
  let now = Date.now();
  const engine = await Engine.open({ now: () => now });
  // The timers on the fake clock, as the queues are: a delay counts from the time they know.
  const stores = { ...embeddedStores(engine, { retentionDays: 30 }), timers: new EmbeddedTimerQueue(engine.queues, () => new Date(now)) };
  return {
    stores,
    async take(family, options = {}) {
      const queue = options.dlq ? dlqOf(family) : family;
      return engine.queues.receive(queue, 10).map((m) => ({
        messages: messagesOf(m.body as QueueMessage),
        received: new EmbeddedReceivedMessage(engine.queues, family, m),
      }));
    },
    async takeTimers() {
      const taken = engine.queues.receive(TIMER_QUEUE, 10);
      for (const m of taken) engine.queues.delete(m.id, m.receipt);
      return taken.map((m) => parseTimerMessage(m.body));
    },
    async hiddenTimers() {
      return [...engine.queues.entries()]
        .filter(([, m]) => m.queue === TIMER_QUEUE && m.visibleAt > now)
        .map(([, m]) => (m.visibleAt - now) / 1000);
    },
    now: () => new Date(now),
    async pass(seconds) {
      now += seconds * 1000;
    },
    close: () => engine.close(),
  };
}

/** Every implementation of the ports: each contract test runs its cases on both. */
export const BACKENDS: [BackendName, () => Promise<Backend>][] = [
  ['DynamoDB and SQS (emulators)', awsBackend],
  ['embedded engine', embeddedBackend],
];
