import { Metrics } from '@aws-lambda-powertools/metrics';
import { fileURLToPath } from 'node:url';
import { HeraldLogger, loggerOptions, readLogSettings } from './log-format.js';
import { mapStackTraces } from './stack-traces.js';

// In a function's bundle, this file is the bundle: its stack traces are mapped to the source.
mapStackTraces(fileURLToPath(import.meta.url));

/**
 * One logger and one metrics object for all of Herald. Field names are the same
 * everywhere: appId, eventId, eventType, notifierId, deliveryId, channel, recipient (masked),
 * attempt, outcome, latencyMs. JSON lines, or readable ones on a terminal (log-format.ts).
 */
export const logger = new HeraldLogger({ serviceName: 'herald', ...loggerOptions(readLogSettings(process.env, !!process.stdout.isTTY)) });

/**
 * Herald's functions publish their own documents (one per channel per invocation:
 * AttemptMetrics, IngestMetrics) before logMetrics flushes at the invocation's end, so that
 * flush usually has nothing left: Powertools would then warn, a billed line per invocation
 * saying nothing. Its other warnings go through Herald's logger.
 */
const metricsLogger = {
  debug: logger.debug.bind(logger),
  info: logger.info.bind(logger),
  error: logger.error.bind(logger),
  warn: (message: string, ...rest: unknown[]) => {
    if (!message.startsWith('No application metrics to publish')) logger.warn(message, ...(rest as []));
  },
};

export const metrics = new Metrics({ namespace: 'Herald', serviceName: 'herald', logger: metricsLogger });

let metricsWanted: boolean | undefined;

/**
 * Local mode and the tests turn metrics off (POWERTOOLS_METRICS_DISABLED): then none is
 * even built (each costs a reading of the environment). Read at the first metric, after
 * local mode has set its environment.
 */
export const metricsOn = (): boolean => (metricsWanted ??= !/^(true|1)$/i.test(process.env['POWERTOOLS_METRICS_DISABLED'] ?? ''));
