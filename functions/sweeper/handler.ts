import middy from '@middy/core';
import { observability } from '../../shared/aws/lambda-middlewares.js';
import { heraldDeps } from '../../shared/aws/wiring.js';
import { readConfig } from '../../shared/config.js';
import { sweeperFunction } from '../../shared/sweeper-function.js';

/**
 * The sweeper function: every minute (EventBridge on AWS, a timer in local mode) the sweeper
 * and the heartbeat watch; and the timers, as the timer queue's event source hands them over.
 */
const config = readConfig();

export const handler = middy(sweeperFunction(heraldDeps(config), { disableAfterDays: config.disableAfterDays })).use(observability());
