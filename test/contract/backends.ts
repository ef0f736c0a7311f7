import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { decodeMessageBody } from '../../shared/aws/sqs-message-body.js';
import { SqsReceivedMessage } from '../../shared/aws/sqs-received-message.js';
import { channelDeps, heraldDeps } from '../../shared/aws/wiring.js';
import type { IncidentLedger, ReceivedMessage } from '../../shared/core/ports.js';
import type { DeliveryMessage, Family } from '../../shared/core/types.js';
import type { HeraldDeps } from '../../shared/services/deps.js';
import { messagesOf, type QueueMessage } from '../../shared/aws/sqs-message-body.js';
import { EmbeddedReceivedMessage } from '../../infra/local/engine/delivery-queue.js';
import { Engine } from '../../infra/local/engine/engine.js';
import { dlqOf } from '../../infra/local/engine/queue.js';
import { embeddedStores } from '../../infra/local/engine/wiring.js';
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
  | 'events'
  | 'deliveries'
  | 'queue'
  | 'deadLetters'
  | 'heartbeats'
  | 'repeats'
  | 'states'
  | 'incidents'
  | 'groups'
> & { incidentLedger: IncidentLedger };

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
  const { config, dynamodb, sqs, queues } = await provisionTestAws(emulators);
  const deps = heraldDeps(config, { dynamodb });
  return {
    stores: { ...deps, incidentLedger: channelDeps(config, { dynamodb }).incidentLedger },
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
  const stores = embeddedStores(engine, { retentionDays: 30 });
  return {
    stores,
    async take(family, options = {}) {
      const queue = options.dlq ? dlqOf(family) : family;
      return engine.queues.receive(queue, 10).map((m) => ({
        messages: messagesOf(m.body as QueueMessage),
        received: new EmbeddedReceivedMessage(engine.queues, family, m),
      }));
    },
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
