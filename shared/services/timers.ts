import type { Timer } from '../core/ports.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';

/**
 * The timer queue's consumer (the sweeper function on AWS, a consumer in local mode): each
 * timer as it comes back. One due later (SQS delays at most 900 s) is set again for what is
 * left; one due now is done by its kind's handler.
 */

/** A timer as it travels: when it is due, and what. */
export interface TimerMessage {
  v: 1;
  at: string;
  timer: Timer;
}

export type TimerDeps = Pick<HeraldDeps, 'timers' | 'clock'>;

/** What each kind of timer does when it is due. */
export type TimerHandlers = { [K in Timer['kind']]: (timer: Extract<Timer, { kind: K }>, now: Date) => Promise<void> };

/** Up to a second early counts as due: SQS's delays are whole seconds. */
const EARLY_MS = 1000;

/** SQS's longest delay: a timer further off comes back this early and is set again (fireTimers). */
export const MAX_TIMER_DELAY_SECONDS = 900;

/** The delay a timer is sent with: whole seconds, never early, at most SQS's 900 (every timer queue uses this). */
export const delaySecondsOf = (at: Date, now: Date): number =>
  Math.min(MAX_TIMER_DELAY_SECONDS, Math.max(0, Math.ceil((at.getTime() - now.getTime()) / 1000)));

export const timerMessageOf = (timer: Timer, at: Date): TimerMessage => ({ v: 1, at: at.toISOString(), timer });

/** A timer queue's message body, checked enough that a stray message fails as such (and goes to the DLQ), not in a handler. */
export function parseTimerMessage(body: unknown): TimerMessage {
  const message = (typeof body === 'string' ? JSON.parse(body) : body) as Partial<TimerMessage> | null;
  if (message?.v !== 1 || typeof message.at !== 'string' || typeof message.timer?.kind !== 'string')
    throw new Error('not a timer message (expected {v: 1, at, timer})');
  return message as TimerMessage;
}

/** Some timers of a batch failed (the others were done): these come back from the queue and are tried again. */
export class TimersFailed extends Error {
  constructor(
    readonly failed: TimerMessage[],
    cause: unknown,
  ) {
    super(`${failed.length} timer(s) failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'TimersFailed';
  }
}

/**
 * Does the due timers and sets the others again, each independently: a timer that fails
 * stops none of the rest (a batch from the queue holds timers of many groups). Throws
 * TimersFailed naming those that failed, once the rest are done.
 */
export async function fireTimers(deps: TimerDeps, handlers: TimerHandlers, messages: TimerMessage[]): Promise<void> {
  const now = deps.clock();
  const later = messages.filter((m) => Date.parse(m.at) - now.getTime() > EARLY_MS);
  const due = messages.filter((m) => !later.includes(m));
  const [setAgain, ...done] = await Promise.allSettled([
    later.length ? deps.timers.set(later.map((m) => ({ timer: m.timer, at: new Date(m.at) }))) : Promise.resolve(),
    ...due.map((m) => (handlers[m.timer.kind] as (timer: Timer, now: Date) => Promise<void>)(m.timer, now)),
  ]);
  const failed: TimerMessage[] = [];
  let cause: unknown;
  if (setAgain?.status === 'rejected') {
    logger.error('could not set timers again', { count: later.length, error: setAgain.reason as Error });
    failed.push(...later);
    cause = setAgain.reason;
  }
  done.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled') return;
    const m = due[i] as TimerMessage;
    logger.error('a timer failed', { timer: m.timer, error: outcome.reason as Error });
    failed.push(m);
    cause ??= outcome.reason;
  });
  if (failed.length) throw new TimersFailed(failed, cause);
}
