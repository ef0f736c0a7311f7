import { LogFormatter, Logger, LogItem, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import type {
  ConstructorOptions,
  LogAttributes,
  LogItemExtraInput,
  LogItemMessage,
  UnformattedAttributes,
} from '@aws-lambda-powertools/logger/types';
import { isDevMode } from '@aws-lambda-powertools/commons/utils/env';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'critical', 'silent'] as const;
type Level = (typeof LEVELS)[number];

/** How Herald logs: JSON lines (CloudWatch, pipes) or readable lines (a person at a terminal), and from which level. */
export interface LogSettings {
  format: 'json' | 'text';
  /**
   * Powertools' level. Herald logs a failed attempt (retrying, failed, dead) at warn, a sent
   * attempt and each accepted event at debug (what a person at a terminal follows; the
   * delivery log keeps every attempt anyway), and its machinery at trace (sweeps, heartbeat
   * watches, a message skipped because its delivery was done).
   */
  level: Uppercase<Level>;
}

/**
 * HERALD_LOG_FORMAT (`json`, `text`; default text on a terminal, else JSON, so Lambda and
 * pipes get JSON) and HERALD_LOG_LEVEL (Powertools' levels; default POWERTOOLS_LOG_LEVEL,
 * else debug for text and info for JSON). A wrong value stops the start, naming the variable.
 */
export function readLogSettings(env: NodeJS.ProcessEnv, isTTY: boolean): LogSettings {
  const format = env['HERALD_LOG_FORMAT'] || (isTTY ? 'text' : 'json');
  if (format !== 'json' && format !== 'text') throw new Error(`Herald: HERALD_LOG_FORMAT must be json or text, not "${format}"`);
  const level = (env['HERALD_LOG_LEVEL'] || env['POWERTOOLS_LOG_LEVEL'] || env['LOG_LEVEL'] || (format === 'text' ? 'debug' : 'info'))
    .toLowerCase()
    .trim();
  if (!LEVELS.includes(level as Level)) throw new Error(`Herald: HERALD_LOG_LEVEL must be one of ${LEVELS.join(', ')}, not "${level}"`);
  return { format, level: level.toUpperCase() as Uppercase<Level> };
}

/** A record already written as the line a person reads. */
class ReadableLine extends LogItem {
  constructor(readonly text: string) {
    super({ attributes: {} });
  }
}

/**
 * Powertools' extension point for the shape of a record, here a line a person reads at a
 * terminal: `12:03:04 sent webhook shop/app_deployed → https://hooks…/**** 200 84 ms`
 * for an attempt, `12:03:04 accepted shop/app_deployed evt_… 2 deliveries` for an event, and
 * the message with its fields for anything else (an error's stack below it).
 */
export class ReadableLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, fields: LogAttributes): LogItem {
    const time = attributes.timestamp.toTimeString().slice(0, 8);
    const f = fields as Record<string, unknown>;
    const error = (f['error'] ?? (attributes as Record<string, unknown>)['error']) as unknown;
    let text: string;
    if (attributes.message === 'event accepted') {
      const n = Number(f['deliveries'] ?? 0);
      text = `accepted ${f['appId']}/${f['eventType']} ${f['eventId']} ${n} ${n === 1 ? 'delivery' : 'deliveries'}`;
    } else if (typeof f['deliveryId'] === 'string' && typeof f['outcome'] === 'string') {
      text = [
        `${f['outcome']} ${f['channel']} ${f['appId']}/${f['eventType']} → ${f['recipient']}`,
        f['statusCode'] ?? '',
        f['latencyMs'] !== undefined ? `${f['latencyMs']} ms` : '',
      ]
        .filter((part) => part !== '')
        .join(' ');
      if (f['retryInSeconds'] !== undefined) text += `, next try in ${f['retryInSeconds']} s`;
      const reason = f['reason'] ?? (typeof f['error'] === 'string' ? f['error'] : undefined);
      if (reason) text += `: ${reason}`;
    } else {
      const level = attributes.logLevel === 'INFO' || attributes.logLevel === 'DEBUG' ? '' : `${attributes.logLevel} `;
      const pairs = Object.entries(f)
        .filter(([key, value]) => key !== 'error' && value !== undefined && typeof value !== 'object')
        .map(([key, value]) => ` ${key}=${value}`)
        .join('');
      text = `${level}${attributes.message}${pairs}`;
      if (error instanceof Error) text += `: ${error.message}${error.stack ? `\n${error.stack.replace(/^/gm, '  ')}` : ''}`;
    }
    return new ReadableLine(`${time} ${text}`);
  }
}

/**
 * The JSON shape of a record: level, message, time, the Lambda request it belongs to
 * (`requestId`, from the context injectLambdaContext gives the logger), `coldStart: true` on
 * the lines of a cold start, and its fields. Without Powertools' other context fields
 * (service, function_arn, function_name, function_memory_size, sampling_rate,
 * xray_trace_id: about 350 bytes a line that the log group, named after the function, and
 * the request id already say), since every line is billed by the byte as it is ingested.
 */
export class LeanJsonLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, fields: LogAttributes): LogItem {
    const requestId = attributes.lambdaContext?.awsRequestId;
    const item = new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        ...(requestId ? { requestId } : {}),
        // Only on the first invocation's lines: free on every other.
        ...(attributes.lambdaContext?.coldStart ? { coldStart: true } : {}),
      },
    });
    item.addAttributes(fields);
    return item;
  }
}

/**
 * Powertools' Logger, printing each record on one line: a ReadableLine as it is, any other
 * record as compact JSON (CloudWatch's one line per record, even where POWERTOOLS_DEV would
 * indent it). Warnings and errors go to stderr. Under POWERTOOLS_DEV the lines go through the
 * global console, as Powertools does, so that a test runner can hold them back.
 */
export class HeraldLogger extends Logger {
  private readonly throughConsole = isDevMode();

  constructor(options: ConstructorOptions = {}) {
    super(options);
  }

  protected override createLogger(options?: ConstructorOptions): HeraldLogger {
    return new HeraldLogger(options);
  }

  /** The level as a number, read once from Powertools and again after setLogLevel. */
  private threshold: number | undefined;

  override setLogLevel(logLevel: Parameters<Logger['setLogLevel']>[0]): void {
    super.setLogLevel(logLevel);
    this.threshold = undefined;
  }

  /**
   * A line below the level is dropped before Powertools reads the environment for it (the
   * X-Ray trace id, for log buffering, which Herald does not use): most lines of a busy local
   * mode are below it (debug, trace). The level itself is kept, not asked of Powertools each
   * time: its getter reads the environment (AWS_LAMBDA_MAX_CONCURRENCY, for a level per
   * invocation that Herald never sets), 1 % of local mode's CPU.
   */
  protected override processLogItem(logLevel: number, input: LogItemMessage, extraInput: LogItemExtraInput): void {
    if (logLevel < (this.threshold ??= this.level)) return;
    super.processLogItem(logLevel, input, extraInput);
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    const line = log instanceof ReadableLine ? log.text : JSON.stringify(log.getAttributes(), this.getJsonReplacer());
    const toStderr = logLevel >= LogLevelThreshold.WARN;
    if (this.throughConsole) (toStderr ? console.error : console.log)(line);
    else (toStderr ? process.stderr : process.stdout).write(`${line}\n`);
  }
}

/** The logger's options for these settings. */
export const loggerOptions = (settings: LogSettings): ConstructorOptions => ({
  logLevel: settings.level,
  logFormatter: settings.format === 'text' ? new ReadableLogFormatter() : new LeanJsonLogFormatter(),
});
