import type { HeraldDeps } from './deps.js';
import { escalate } from './escalation.js';
import { failOver } from './failover.js';
import { flushGroup } from './grouping.js';
import { endSilence } from './silences.js';
import type { TimerHandlers } from './timers.js';

/** What each kind of timer does when due, on Herald's ports (the sweeper function's and local mode's consumer of the timer queue). */
export const timerHandlers = (deps: HeraldDeps): TimerHandlers => ({
  group: (timer, now) => flushGroup(deps, timer, now),
  'silence-end': (timer, now) => endSilence(deps, timer, now),
  escalation: (timer, now) => escalate(deps, timer, now),
  failover: (timer, now) => failOver(deps, timer, now),
});
