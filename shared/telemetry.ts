import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics object for all of Herald. Field names are the same
 * everywhere: appId, eventId, notifierId, deliveryId, channel, attempt, outcome, latencyMs.
 */
export const logger = new Logger({ serviceName: 'herald' });

export const metrics = new Metrics({ namespace: 'Herald', serviceName: 'herald' });
