import type { Channel, SendContext } from '../channels/channel.js';
import type { Claim, DeliveryStore, Outcome, ReceivedMessage, TimerQueue } from '../core/ports.js';
import { nextRetry } from '../core/retry-policy.js';
import type { Attempt, ChannelName, DeliveryMessage } from '../core/types.js';
import { PermanentDeliveryError, TransientDeliveryError } from '../errors.js';
import { carriedBy } from '../delivery-ids.js';
import { logger } from '../telemetry.js';
import { AttemptMetrics } from './attempt-metrics.js';
import { destinationOf, type DestinationLoad } from './destination-load.js';
import { failOverEnded } from './failover.js';
import type { NotifierStatusCache } from './notifier-status.js';
import type { Pacing } from './pacing.js';
import { holdDestination, rateLimited } from './rate-limited.js';

export interface DeliverDeps {
  /** The channels this function delivers (its family's). */
  channels: Partial<Record<ChannelName, Channel<any>>>;
  deliveries: DeliveryStore;
  notifiers: NotifierStatusCache;
  context: SendContext;
  clock: () => Date;
  /** Waits between attempts, in seconds. */
  retrySchedule: readonly number[];
  /** What each destination holds of this process: a slow receiver holds up only its own deliveries. */
  load: DestinationLoad;
  /** Each destination's pace across instances (services/pacing.ts); none: nothing is paced. */
  pacing?: Pacing;
  random?: () => number;
  /** The timer queue: a delivery that ends failed or dead and has a failover sets its timer (services/failover.ts). */
  timers?: TimerQueue;
}

/** What became of one delivery of the message: its outcome, or that it was skipped (done already, or later) or set aside. */
export type DeliverResult = 'sent' | 'failed' | 'retrying' | 'dead' | 'skipped' | 'suppressed' | 'coalesced' | 'set aside';

/** Thrown after a transient failure, once the next attempt is scheduled: the message must stay on its queue. */
export class RetryScheduled extends Error {
  constructor(
    readonly waitSeconds: number,
    options: { cause: unknown },
  ) {
    super(`next attempt in ${waitSeconds} s`, options);
    this.name = 'RetryScheduled';
  }
}

/** A delivery of the message, as this attempt goes. */
interface Under {
  message: DeliveryMessage;
  channel: Channel<any>;
  fields: Record<string, string>;
  /** Room at its destination, given back with the attempt's latency. */
  done: (latencyMs: number) => void;
  /** Coalesced (services/pacing.ts): not sent, the notification of this delivery carries it. */
  carrierId?: string;
}

/** How an attempt of one delivery ended, before it is recorded. */
interface Ended {
  under: Under;
  claim: Claim;
  outcome: Outcome;
  latencyMs: number;
  retryIn?: number;
  /** Set aside, no attempt counted (a 429): this copy of its message comes back after so many seconds. */
  aside?: { message: DeliveryMessage; seconds: number };
  notifierScope: string;
  started: Date;
}

/**
 * One attempt of each delivery of a queue message (deliveries of one event on this
 * family's queue). First, room at each destination: one that already holds all it may of
 * this process has its deliveries set aside for 10 to 20 s, no attempt spent, when it is
 * slow, when the message goes to other destinations too (so that one destination holds up
 * only its own), or when no slot came free within a moment (a busy, fast one frees a slot
 * within milliseconds: see DestinationLoad). Then one conditional write claims the rest (so that a message
 * received twice is sent once), each is checked against its notifier and sent, in
 * parallel, and one write records every outcome, with a log line and metrics each:
 * - sent, or a permanent failure: recorded;
 * - a transient failure with attempts left: recorded `retrying`, the message hidden until
 *   the next attempt is due, and RetryScheduled thrown so that the message stays queued
 *   (one jitter per message, so that deliveries failing together stay due together;
 *   deliveries due at different times are each set aside in a message of their own);
 * - a transient failure on the last attempt: a copy of the message put in the DLQ,
 *   recorded `dead`.
 * A delivery another attempt holds, or that is not due yet, keeps the message too, hidden
 * until then; one already done lets it go.
 */
export async function deliver(
  deps: DeliverDeps,
  messages: DeliveryMessage[],
  received: ReceivedMessage,
  /** The invocation's: its caller publishes it once (one EMF document per invocation, not per message). */
  tally: AttemptMetrics,
): Promise<DeliverResult[]> {
  return deliverMessages(deps, messages, received, tally);
}

async function deliverMessages(
  deps: DeliverDeps,
  messages: DeliveryMessage[],
  received: ReceivedMessage,
  tally: AttemptMetrics,
): Promise<DeliverResult[]> {
  const first = messages[0];
  if (!first) return [];
  const withRoom: Under[] = [];
  const setAside: DeliveryMessage[] = [];
  // A message on the wrong queue stays there, to end in its DLQ, where a redrive puts it right:
  // every channel is checked before any destination's room is taken (a room taken then would never come back).
  const wrong = messages.find((m) => !deps.channels[m.delivery.channel]);
  if (wrong) throw new Error(`this function does not deliver ${wrong.delivery.channel} notifications`);
  // Pacing first: a delivery waiting for its destination's slot spends no attempt and takes no room.
  const paced = deps.pacing ? await deps.pacing.pace(messages, deps.context.providers) : { now: messages, later: [], coalesced: [] };
  // Room at each destination, taken at once where there is some. Where other attempts hold all of it, a moment's wait
  // for a slot (none at a slow destination), when the message goes to that one destination alone: a delivery with room
  // elsewhere is not held up, and a slot handed on is not held idle while another destination's comes.
  const destinations = paced.now.map((message) => destinationOf(message.delivery));
  const rooms = destinations.map((destination) => deps.load.take(destination));
  if (!rooms.some(Boolean) && new Set(destinations).size === 1)
    await Promise.all(destinations.map(async (destination, i) => (rooms[i] = await deps.load.takeSoon(destination))));
  paced.now.forEach((message, i) => {
    const channel = deps.channels[message.delivery.channel] as Channel<any>;
    const done = rooms[i];
    if (done) withRoom.push({ message, channel, fields: fieldsOf(message, channel), done });
    else setAside.push(message);
  });
  for (const { message, carrierId } of paced.coalesced) {
    const channel = deps.channels[message.delivery.channel] as Channel<any>;
    withRoom.push({ message, channel, fields: fieldsOf(message, channel), done: () => {}, carrierId });
  }
  try {
    for (const group of dueTogether(paced.later)) {
      await received.setAside(group.seconds, group.messages);
      for (const m of group.messages)
        logger.trace("delivery set aside: waiting for its destination's slot", {
          deliveryId: m.delivery.id,
          setAsideSeconds: group.seconds,
        });
    }
    if (setAside.length) {
      // Their destinations hold all they may of this process (slow, or busy): not an attempt, just later.
      const seconds = SET_ASIDE_SECONDS + Math.round((deps.random ?? Math.random)() * SET_ASIDE_SECONDS);
      await received.setAside(seconds, setAside);
      for (const m of setAside)
        logger.trace('delivery set aside: its destination is slow or busy', { deliveryId: m.delivery.id, setAsideSeconds: seconds });
    }
  } catch (err) {
    // The queue refused: the rooms taken go back (kept, they would be lost to this process for good).
    for (const under of withRoom) under.done(0);
    throw err;
  }

  const results = new Map<string, DeliverResult>(
    [...setAside, ...paced.later.map((l) => l.message)].map((m) => [m.delivery.id, 'set aside']),
  );
  // When each delivery still to send is due again, in seconds: the message comes back then.
  const waits: { message: DeliveryMessage; seconds: number }[] = [];
  const asides: { message: DeliveryMessage; seconds: number }[] = [];
  const ended: Ended[] = [];
  const released = new Set<Under>();
  // Each destination gets its room back as soon as its own attempt is over.
  const release = (under: Under, latencyMs: number) => {
    if (released.has(under)) return;
    released.add(under);
    under.done(latencyMs);
  };
  // One jitter for the whole message: deliveries that fail together stay due together, one receive each round.
  const draw = (deps.random ?? Math.random)();
  try {
    // Read before the claim: a read failing after it would leave attempts sent and never recorded (sent again).
    const notifiers = await Promise.all(withRoom.map((under) => notifierOf(deps, under.message)));
    const claims = withRoom.length
      ? await deps.deliveries.claim(
          withRoom.map((u) => u.message.delivery),
          deps.clock(),
          first.event,
        )
      : [];
    await Promise.all(
      withRoom.map(async (under, i) => {
        const claimed = claims[i];
        if (!claimed || 'done' in claimed) {
          logger.trace('delivery skipped: already done', { ...under.fields, outcome: 'skipped' });
          results.set(under.message.delivery.id, 'skipped');
        } else if ('later' in claimed) {
          // Not due yet: the message comes back then.
          const seconds = Math.max(1, Math.ceil((claimed.later.getTime() - deps.clock().getTime()) / 1000));
          waits.push({ message: under.message, seconds });
          results.set(under.message.delivery.id, 'skipped');
        } else if (under.carrierId) {
          const outcome: Outcome = { status: 'coalesced', reason: carriedBy(under.carrierId) };
          ended.push({ under, claim: claimed.claim, outcome, latencyMs: 0, notifierScope: '', started: deps.clock() });
        } else {
          const e = await attempt(deps, under, claimed.claim, notifiers[i] as NotifierOf, () => draw);
          release(under, e.latencyMs);
          ended.push(e);
        }
      }),
    );
  } finally {
    for (const under of withRoom) release(under, 0);
  }

  if (ended.some((e) => e.outcome.status === 'dead')) await received.deadLetter();
  if (ended.length) await deps.deliveries.record(ended.map((e) => ({ delivery: e.under.message.delivery, outcome: e.outcome })));
  await failOverThe(deps, ended);
  for (const e of ended) {
    results.set(e.under.message.delivery.id, e.outcome.status as DeliverResult);
    if (e.outcome.status === 'suppressed' || e.outcome.status === 'coalesced') {
      logger.info(`delivery ${e.outcome.status}`, {
        ...e.under.fields,
        attempt: e.claim.n,
        outcome: e.outcome.status,
        reason: e.outcome.reason,
      });
      continue;
    }
    if (!e.outcome.attempt) {
      logger.warn('delivery ended', { ...e.under.fields, attempt: e.claim.n, outcome: e.outcome.status, reason: e.outcome.reason });
      continue;
    }
    report(tally, e.under.fields, e.claim, e.outcome, e.latencyMs, e.retryIn);
    if (e.retryIn !== undefined) waits.push({ message: e.under.message, seconds: e.retryIn });
    if (e.aside) asides.push(e.aside);
    if (ownEndpoint(e.under.message))
      await deps.notifiers
        .observe(e.notifierScope, e.under.message.delivery.notifierId, e.outcome.status === 'sent', e.started)
        .catch((err: unknown) => logger.warn('could not note the notifier failure run', { ...e.under.fields, error: err as Error }));
  }
  // Rate limited (429): a new message each, so that waiting on a provider never counts against maxReceiveCount.
  for (const group of dueTogether(asides)) await received.setAside(group.seconds, group.messages);
  if (waits.length) {
    const cause = ended.find((e) => e.retryIn !== undefined)?.outcome.attempt?.error;
    const groups = dueTogether(waits);
    const [only] = groups;
    if (only && groups.length === 1) {
      await received.retryIn(only.seconds);
      throw new RetryScheduled(only.seconds, { cause });
    }
    // Due at different times (a Retry-After, a redriven one): a message each, so that no
    // message is received once per due time and runs out of receives (maxReceiveCount)
    // while one of its deliveries still has attempts left. This one may go.
    for (const group of groups) await received.setAside(group.seconds, group.messages);
  }
  return messages.map((m) => results.get(m.delivery.id) ?? 'skipped');
}

/**
 * Deliveries of the message by when they are due again, soonest first: those due within
 * DUE_TOGETHER_SECONDS of a group's first are one group, which comes back when its last is due.
 */
function dueTogether(waits: { message: DeliveryMessage; seconds: number }[]): { seconds: number; messages: DeliveryMessage[] }[] {
  const groups: { first: number; seconds: number; messages: DeliveryMessage[] }[] = [];
  for (const w of [...waits].sort((a, b) => a.seconds - b.seconds)) {
    const last = groups[groups.length - 1];
    if (last && w.seconds - last.first <= DUE_TOGETHER_SECONDS) {
      last.messages.push(w.message);
      last.seconds = w.seconds;
    } else groups.push({ first: w.seconds, seconds: w.seconds, messages: [w.message] });
  }
  return groups;
}

/** Waits this close are one group (a claim takes a retry up to 2 s before it is due). */
const DUE_TOGETHER_SECONDS = 1;

/** How long deliveries are set aside when their destination has no room: 10 to 20 s. */
const SET_ASIDE_SECONDS = 10;

const fieldsOf = (message: DeliveryMessage, channel: Channel<any>): Record<string, string> => ({
  appId: message.delivery.appId,
  eventId: message.delivery.eventId,
  eventType: message.event.type,
  notifierId: message.delivery.notifierId,
  deliveryId: message.delivery.id,
  channel: message.delivery.channel,
  recipient: channel.maskRecipient(message.delivery.recipient),
});

type NotifierOf = Awaited<ReturnType<NotifierStatusCache['ofMessage']>>;

/** The delivery's notifier: where it lives, and whether it still exists and is enabled. */
const notifierOf = async (deps: DeliverDeps, message: DeliveryMessage): Promise<NotifierOf> =>
  // `app_deleted` outlives the app's notifiers on purpose: it is their last message.
  message.event.type === 'app_deleted'
    ? { appId: message.notifier.appId ?? message.delivery.appId, status: { exists: true, enabled: true } }
    : deps.notifiers.ofMessage(message);

/** The attempt of one claimed delivery: its notifier checked, sent, its outcome decided (recorded by the caller). */
async function attempt(deps: DeliverDeps, under: Under, claim: Claim, of: NotifierOf, random: () => number): Promise<Ended> {
  const started = deps.clock();
  const { appId: notifierScope, status: notifier } = of;
  const base = { under, claim, notifierScope, started };
  if (!notifier.exists || !notifier.enabled) {
    const reason = notifier.exists ? 'the notifier is disabled' : 'the notifier was deleted';
    return { ...base, outcome: { status: 'failed', reason }, latencyMs: 0 };
  }

  const t0 = performance.now();
  let error: unknown;
  let statusCode: number | undefined;
  let suppressed: string | undefined;
  let spentForSeconds: number | undefined;
  try {
    ({ statusCode, suppressed, spentForSeconds } = await under.channel.send(under.message, deps.context));
  } catch (err) {
    error = err;
    statusCode = err instanceof PermanentDeliveryError || err instanceof TransientDeliveryError ? err.statusCode : undefined;
  }
  const latencyMs = Math.round(performance.now() - t0);
  // The channel chose not to send (an outdated incident update): no attempt to record.
  if (suppressed) return { ...base, outcome: { status: 'suppressed', reason: suppressed }, latencyMs };
  const attemptOf = (outcome: Attempt['outcome']): Attempt => ({
    n: claim.n,
    at: started.toISOString(),
    outcome,
    ...(statusCode ? { statusCode } : {}),
    ...(error ? { error: errorText(error) } : {}),
    latencyMs,
  });
  if (!error) {
    // The provider says its bucket is spent (Discord's X-RateLimit-Remaining: 0): the next slot waits for its reset.
    if (spentForSeconds) await holdDestination(deps, under.message, deps.clock().getTime() + spentForSeconds * 1000);
    return { ...base, outcome: { status: 'sent', attempt: attemptOf('sent') }, latencyMs };
  }
  if (error instanceof TransientDeliveryError && error.statusCode === 429) {
    const limited = await rateLimited(deps, under.message, error, { started, latencyMs }, attemptOf);
    return { ...base, ...limited, latencyMs };
  }
  if (error instanceof PermanentDeliveryError)
    return { ...base, outcome: { status: 'failed', attempt: attemptOf('failed'), reason: errorText(error) }, latencyMs };
  // Anything not known to be permanent (a timeout, a 5xx, a bug) is worth another try.
  const retryAfter = error instanceof TransientDeliveryError ? error.retryAfterSeconds : undefined;
  const next = nextRetry(claim.attemptInRound, deps.retrySchedule, retryAfter, random);
  if (next.retry) {
    const nextAttemptAt = new Date(started.getTime() + latencyMs + next.waitSeconds * 1000);
    return {
      ...base,
      outcome: { status: 'retrying', attempt: attemptOf('retrying'), nextAttemptAt },
      latencyMs,
      retryIn: next.waitSeconds,
    };
  }
  const reason = `gave up after ${claim.attemptInRound} attempts: ${errorText(error)}`;
  return { ...base, outcome: { status: 'dead', attempt: attemptOf('failed'), reason }, latencyMs };
}

/**
 * Whether the delivery went to its notifier's own endpoint, whose failure run it counts in
 * (the sweeper disables a notifier failing for days): not a policy's step to contacts, nor a
 * failover to a contact, which are delivered as the policy's or the failing notifier's.
 */
const ownEndpoint = ({ delivery }: DeliveryMessage): boolean =>
  delivery.escalation?.notifierId !== delivery.notifierId && delivery.failoverBy?.notifierId !== delivery.notifierId;

/** Those that ended failed or dead: their failover's timer, due now (recorded first: the handler reads how they ended). */
async function failOverThe(deps: DeliverDeps, ended: Ended[]): Promise<void> {
  if (!deps.timers) return;
  const timers = deps.timers;
  const over = ended.filter((e) => e.outcome.status === 'failed' || e.outcome.status === 'dead');
  await Promise.all(
    over.map((e) =>
      failOverEnded(timers, e.under.message, deps.clock()).catch((err: unknown) =>
        // Its late timer (set when it was queued) fails it over still.
        logger.error('could not set the failover timer', { ...e.under.fields, error: err as Error }),
      ),
    ),
  );
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The delivery log line (CloudWatch Logs), and the attempt counted for the channel's metrics. */
function report(
  tally: AttemptMetrics,
  fields: Record<string, string>,
  claim: Claim,
  outcome: Outcome,
  latencyMs: number,
  retryIn: number | undefined,
): void {
  const line = {
    ...fields,
    attempt: claim.n,
    outcome: outcome.status,
    latencyMs,
    statusCode: outcome.attempt?.statusCode,
    error: outcome.attempt?.error,
    ...(retryIn !== undefined ? { retryInSeconds: retryIn } : {}),
  };
  // A sent attempt is in the delivery log already: its line is for who asks (DEBUG), as
  // Alertmanager logs a successful notification. Each line is billed on Lambda (#14).
  if (outcome.status === 'sent') logger.debug('delivery attempt', line);
  else logger.warn('delivery attempt', line);
  tally.add(fields['channel'] as string, outcome.status, latencyMs);
}
