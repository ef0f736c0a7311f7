import { SilenceCounts } from '../../shared/services/silence-counts.js';
import type { Channel } from '../../shared/channels/channel.js';
import type { ReceivedMessage } from '../../shared/core/ports.js';
import type { DeliveryMessage, Family } from '../../shared/core/types.js';
import { messagesOf, type QueueMessage } from '../../shared/aws/sqs-message-body.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../../shared/errors.js';
import type { DeliverDeps } from '../../shared/services/deliver.js';
import type { HeraldDeps } from '../../shared/services/deps.js';
import { DestinationLoad } from '../../shared/services/destination-load.js';
import { EventQuota } from '../../shared/services/event-quota.js';
import { NotifierStatusCache } from '../../shared/services/notifier-status.js';
import { RoutingCache } from '../../shared/services/routing-cache.js';
import { Engine } from '../../infra/local/engine/engine.js';
import { embeddedStores } from '../../infra/local/engine/wiring.js';
import { TIMER_QUEUE } from '../../infra/local/engine/timer-queue.js';
import { parseTimerMessage, type TimerMessage } from '../../shared/services/timers.js';

/**
 * In-memory ports for the services' unit tests. The stores are local mode's embedded engine
 * with no data dir: the same code that passes the contract tests (test/contract/) beside the
 * DynamoDB and SQS adapters, so a service tested on them meets the behaviour it meets on AWS.
 * Only what no store does is faked here: the clock, a channel, and a consumer's hold on its
 * queue message.
 */

/** A clock the test moves: every port and service of `memoryHerald` reads it. */
export interface Clock {
  now: () => Date;
  advance(seconds: number): void;
}

export function settableClock(start = '2026-11-24T10:00:00.000Z'): Clock {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    advance: (seconds) => void (now += seconds * 1000),
  };
}

/** Herald's services on an in-memory engine, on a settable clock; `queued` takes what a family's queue holds now, `timersDue` the timer queue's. */
export interface MemoryHerald extends HeraldDeps {
  time: Clock;
  queued(family: Family): DeliveryMessage[];
  timersDue(): TimerMessage[];
}

export async function memoryHerald(time: Clock = settableClock()): Promise<MemoryHerald> {
  const engine = await Engine.open({ now: () => time.now().getTime() });
  const stores = embeddedStores(engine, { retentionDays: 30 }, time.now);
  return {
    ...stores,
    messages: {},
    outbound: { allowPrivate: true },
    routing: new RoutingCache(stores.notifiers, stores.silences, stores.contacts, () => time.now().getTime()),
    quota: new EventQuota(),
    silenceCounts: new SilenceCounts(() => time.now().getTime()),
    clock: time.now,
    time,
    queued: (family) => engine.queues.receive(family, 10).flatMap((m) => messagesOf(m.body as QueueMessage)),
    timersDue: () => takeAll(engine, TIMER_QUEUE).map((m) => parseTimerMessage(m.body)),
  };
}

/** Every visible message of a queue of the engine, deleted as taken (as a consumer would once done). */
function takeAll(engine: Engine, queue: string) {
  const taken = [];
  for (let batch = engine.queues.receive(queue, 10); batch.length; batch = engine.queues.receive(queue, 10)) {
    for (const m of batch) engine.queues.delete(m.id, m.receipt);
    taken.push(...batch);
  }
  return taken;
}

/** What deliver() works with, on the herald's stores and clock, delivering `channel` (no jitter: waits are the schedule's). */
export function deliverDepsOn(herald: MemoryHerald, channel: Channel<any>, retrySchedule: readonly number[] = [5, 300]): DeliverDeps {
  return {
    channels: { [channel.name]: channel },
    deliveries: herald.deliveries,
    notifiers: new NotifierStatusCache(herald.notifiers, () => herald.time.now().getTime()),
    context: { outbound: herald.outbound, httpTimeoutMs: 1000, now: herald.clock },
    clock: herald.clock,
    retrySchedule,
    load: new DestinationLoad(),
    random: () => 0,
  };
}

/** How a recording channel answers one send. */
export type Answer = 'ok' | { transient: string; retryAfterSeconds?: number } | { permanent: string; statusCode?: number };

/**
 * A webhook channel that sends nothing: it records each message it is asked to send and
 * answers as told (`answer`), in order; `ok` once it has no more answers. Its addressing is
 * the plainest: nothing masked, so that a test reads the URLs it gave.
 */
export class RecordingChannel implements Channel<{ url: string }> {
  readonly sent: DeliveryMessage[] = [];
  private readonly answers: Answer[] = [];
  readonly name = 'webhook';
  recipients = (target: { url: string }) => [target.url];
  maskTarget = (target: { url: string }) => target;
  maskRecipient = (recipient: string) => recipient;
  endpoints = (target: { url: string }) => [{ field: 'url', url: target.url }];

  answer(...answers: Answer[]): this {
    this.answers.push(...answers);
    return this;
  }

  async send(message: DeliveryMessage) {
    this.sent.push(message);
    const answer = this.answers.shift() ?? 'ok';
    if (answer === 'ok') return { statusCode: 200 };
    if ('transient' in answer) throw new TransientDeliveryError(answer.transient, 503, answer.retryAfterSeconds);
    throw new PermanentDeliveryError(answer.permanent, answer.statusCode ?? 410);
  }
}

/** A consumer's hold on its queue message that records what deliver() asked of the queue. */
export class RecordingReceivedMessage implements ReceivedMessage {
  /** The message's visibility changes, in seconds. */
  readonly retries: number[] = [];
  /** Deliveries offered again as messages of their own: after how long, and which. */
  readonly setAsides: { seconds: number; deliveryIds: string[] }[] = [];
  deadLettered = false;

  async retryIn(seconds: number): Promise<void> {
    this.retries.push(seconds);
  }

  async deadLetter(): Promise<void> {
    this.deadLettered = true;
  }

  async setAside(seconds: number, deliveries: DeliveryMessage[]): Promise<void> {
    this.setAsides.push({ seconds, deliveryIds: deliveries.map((d) => d.delivery.id) });
  }
}
