import middy from '@middy/core';
import { observability } from '../../shared/aws/lambda-middlewares.js';
import { heraldDeps } from '../../shared/aws/wiring.js';
import { readConfig } from '../../shared/config.js';
import { SWEEPER } from '../../shared/resources.js';
import { watchHeartbeats } from '../../shared/services/heartbeats.js';
import { sweep } from '../../shared/services/sweeper.js';

/**
 * The scheduled function, every minute (EventBridge on AWS, a timer in local mode): the
 * sweeper, and the heartbeat watch.
 */
const config = readConfig();
const deps = heraldDeps(config);

export const handler = middy(async () => {
  const [swept, heartbeats] = await Promise.all([
    sweep(deps, { ...SWEEPER, disableAfterDays: config.disableAfterDays }),
    watchHeartbeats(deps),
  ]);
  return { ...swept, ...heartbeats };
}).use(observability());
