import { heraldDeps } from '../../shared/aws/wiring.js';
import { readConfig } from '../../shared/config.js';
import { SWEEPER } from '../../shared/resources.js';
import { sweep } from '../../shared/services/sweeper.js';

/** The sweeper function, on a schedule (EventBridge on AWS, a timer in local mode). */
const config = readConfig();
const deps = heraldDeps(config);

export const handler = () => sweep(deps, { ...SWEEPER, disableAfterDays: config.disableAfterDays });
