import { afterEach, describe, expect, it } from 'vitest';
import { HeraldLogger, LeanJsonLogFormatter, ReadableLogFormatter, readLogSettings } from '../../shared/log-format.js';
import { captureLogLines } from '../support/log-lines.js';

/** The log's format and level, from the environment; and the readable lines a person at a terminal reads. */

describe('log settings', () => {
  it('are readable lines on a terminal and JSON elsewhere (Lambda, a pipe), unless HERALD_LOG_FORMAT says', () => {
    expect(readLogSettings({}, true)).toEqual({ format: 'text', level: 'DEBUG' });
    expect(readLogSettings({}, false)).toEqual({ format: 'json', level: 'INFO' });
    expect(readLogSettings({ HERALD_LOG_FORMAT: 'json' }, true)).toEqual({ format: 'json', level: 'INFO' });
    expect(readLogSettings({ HERALD_LOG_FORMAT: 'text' }, false).format).toBe('text');
  });

  it("map HERALD_LOG_LEVEL onto Powertools' level, before POWERTOOLS_LOG_LEVEL", () => {
    expect(readLogSettings({ HERALD_LOG_LEVEL: 'warn' }, true).level).toBe('WARN');
    expect(readLogSettings({ HERALD_LOG_LEVEL: 'Silent', POWERTOOLS_LOG_LEVEL: 'DEBUG' }, false).level).toBe('SILENT');
    expect(readLogSettings({ POWERTOOLS_LOG_LEVEL: 'ERROR' }, true).level).toBe('ERROR');
  });

  it('refuse a value they do not know, naming the variable', () => {
    expect(() => readLogSettings({ HERALD_LOG_LEVEL: 'loud' }, true)).toThrow(/HERALD_LOG_LEVEL must be one of trace, debug, info/);
    expect(() => readLogSettings({ HERALD_LOG_FORMAT: 'yaml' }, true)).toThrow(/HERALD_LOG_FORMAT must be json or text/);
  });
});

describe('a readable line', () => {
  let capture: ReturnType<typeof captureLogLines> | undefined;
  afterEach(() => capture?.restore());
  const printed = (log: (logger: HeraldLogger) => void): string[] => {
    capture = captureLogLines();
    log(new HeraldLogger({ logFormatter: new ReadableLogFormatter(), logLevel: 'DEBUG' }));
    return capture.lines;
  };
  const attempt = {
    appId: 'shop',
    eventId: 'evt_1',
    eventType: 'app_deployed',
    notifierId: 'ntf_1',
    deliveryId: 'dlv_1',
    channel: 'webhook',
    recipient: 'https://hooks.example.com/****',
    attempt: 1,
  };

  it('says what happened to an attempt, where it went, and how long it took', () => {
    expect(printed((l) => l.info('delivery attempt', { ...attempt, outcome: 'sent', statusCode: 200, latencyMs: 84 }))).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d sent webhook shop\/app_deployed → https:\/\/hooks\.example\.com\/\*\*\*\* 200 84 ms$/),
    ]);
    const [retrying] = printed((l) =>
      l.warn('delivery attempt', {
        ...attempt,
        outcome: 'retrying',
        statusCode: 503,
        latencyMs: 9,
        error: 'POST …: HTTP 503',
        retryInSeconds: 5,
      }),
    );
    expect(retrying).toMatch(/ retrying webhook shop\/app_deployed → \S+ 503 9 ms, next try in 5 s: POST …: HTTP 503$/);
  });

  it('names an accepted event and its deliveries, and shows an error with its stack', () => {
    expect(
      printed((l) => l.debug('event accepted', { appId: 'shop', eventId: 'evt_9', eventType: 'monitor.down', deliveries: 3 })),
    ).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d accepted shop\/monitor\.down evt_9 3 deliveries$/)]);
    const lines = printed((l) => l.error('local gateway: request failed', { error: new Error('boom') }));
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d ERROR local gateway: request failed: boom$/);
    expect(lines[1]).toBe('  Error: boom');
  });
});

describe('the level', () => {
  let capture: ReturnType<typeof captureLogLines> | undefined;
  afterEach(() => capture?.restore());

  it('drops the lines below it, and follows setLogLevel', () => {
    capture = captureLogLines();
    const logger = new HeraldLogger({ logFormatter: new ReadableLogFormatter(), logLevel: 'INFO' });
    logger.debug('hidden 1');
    logger.info('shown 1');
    logger.setLogLevel('DEBUG');
    logger.debug('shown 2');
    logger.setLogLevel('WARN');
    logger.info('hidden 2');
    logger.warn('shown 3');
    expect(capture.lines.map((l) => l.replace(/^\S+ /, ''))).toEqual(['shown 1', 'shown 2', 'WARN shown 3']);
  });
});

describe('a JSON line (CloudWatch)', () => {
  let capture: ReturnType<typeof captureLogLines> | undefined;
  afterEach(() => capture?.restore());

  it("holds level, message, time, the request's id and the fields: nothing each line would repeat", () => {
    capture = captureLogLines();
    const logger = new HeraldLogger({ logFormatter: new LeanJsonLogFormatter(), logLevel: 'INFO', serviceName: 'herald' });
    logger.addContext({
      functionName: 'HeraldService-WebhookFunction-AbCdEf',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:HeraldService-WebhookFunction-AbCdEf',
      memoryLimitInMB: '512',
      awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    } as never);
    logger.info('delivery attempt', { appId: 'shop', deliveryId: 'dlv_1', outcome: 'sent', latencyMs: 84 });
    const line = JSON.parse(capture.lines[0] as string);
    expect(Object.keys(line)).toEqual(['level', 'message', 'timestamp', 'requestId', 'appId', 'deliveryId', 'outcome', 'latencyMs']);
    expect(line).toMatchObject({ level: 'INFO', requestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', outcome: 'sent' });
  });
});
