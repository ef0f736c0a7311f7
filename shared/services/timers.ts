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

export async function fireTimers(deps: TimerDeps, handlers: TimerHandlers, messages: TimerMessage[]): Promise<void> {
  const now = deps.clock();
  const later = messages.filter((m) => Date.parse(m.at) - now.getTime() > EARLY_MS);
  if (later.length) await deps.timers.set(later.map((m) => ({ timer: m.timer, at: new Date(m.at) })));
  for (const m of messages) {
    if (later.includes(m)) continue;
    await handlers[m.timer.kind](m.timer, now).catch((err: unknown) => {
      logger.error('a timer failed', { timer: m.timer, error: err as Error });
      throw err;
    });
  }
}
