import type { Timer } from '../core/ports.js';
import { logger } from '../telemetry.js';
import type { HeraldDeps } from './deps.js';

/** A group's timer is due: its next notification (grouping is built in its own change; until then, a line at debug). */
export async function flushGroup(_deps: HeraldDeps, timer: Timer, now: Date): Promise<void> {
  logger.debug("a group's timer is due", { appId: timer.appId, notifierId: timer.notifierId, group: timer.group, seq: timer.seq, now });
}
