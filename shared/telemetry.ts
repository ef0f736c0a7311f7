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

export const metrics = new Metrics({ namespace: 'Herald', serviceName: 'herald' });

let metricsWanted: boolean | undefined;

/**
 * Local mode and the tests turn metrics off (POWERTOOLS_METRICS_DISABLED): then none is
 * even built (each costs a reading of the environment). Read at the first metric, after
 * local mode has set its environment.
 */
export const metricsOn = (): boolean => (metricsWanted ??= !/^(true|1)$/i.test(process.env['POWERTOOLS_METRICS_DISABLED'] ?? ''));
