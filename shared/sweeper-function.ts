import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, ScheduledEvent, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { SWEEPER } from './resources.js';
import type { HeraldDeps } from './services/deps.js';
import { watchHeartbeats } from './services/heartbeats.js';
import { sweep, type SweepResult } from './services/sweeper.js';
import { timerHandlers } from './services/timer-handlers.js';
import { fireTimers, parseTimerMessage, type TimerHandlers } from './services/timers.js';

/** What EventBridge's minute hands the sweeper, or a batch from the timer queue. */
export type SweeperEvent = ScheduledEvent | SQSEvent;
export type SweepAndWatch = SweepResult & Awaited<ReturnType<typeof watchHeartbeats>>;

/**
 * The sweeper function: on EventBridge's minute, the sweep and the heartbeat watch; on a
 * batch from the timer queue (its SQS event source), each record's timer (fireTimers), the
 * records whose timer failed reported (ReportBatchItemFailures) so that only they come
 * back, as the channel functions do. `handlers`: the tests swap one to see a timer fire.
 */
export function sweeperFunction(
  deps: HeraldDeps,
  options: { disableAfterDays: number; handlers?: TimerHandlers },
): (event: SweeperEvent, context?: Context) => Promise<SweepAndWatch | SQSBatchResponse> {
  const handlers = options.handlers ?? timerHandlers(deps);
  return async (event, context) => {
    if ('Records' in event) {
      // A processor per invocation: it keeps the batch's state.
      return processPartialResponse(
        event,
        (record: SQSRecord) => fireTimers(deps, handlers, [parseTimerMessage(record.body)]),
        new BatchProcessor(EventType.SQS),
        { ...(context ? { context } : {}), throwOnFullBatchFailure: false },
      );
    }
    return sweepAndWatch(deps, options.disableAfterDays);
  };
}

/** The scheduled work: the sweep and the heartbeat watch (local mode runs it on a timer of its own). */
export async function sweepAndWatch(deps: HeraldDeps, disableAfterDays: number): Promise<SweepAndWatch> {
  const [swept, heartbeats] = await Promise.all([sweep(deps, { ...SWEEPER, disableAfterDays }), watchHeartbeats(deps)]);
  return { ...swept, ...heartbeats };
}
