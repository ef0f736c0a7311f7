import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startEmulators, type Emulators } from '../../infra/local/emulators.js';
import { provisionQueues, provisionTable } from '../../infra/local/provision.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';
import { invokeWithBatch } from '../../infra/local/sqs-event-source.js';
import { FAMILY_NAMES, type Family } from '../../shared/core/types.js';
import { dlqUrlVariable, queueUrlVariable } from '../../shared/resources.js';
import { apiEvent, answerOf, type ApiHandler, type QueueHandler } from './lambda-events.js';
import type { FunctionSettings } from '../stack-settings.js';

const REGION = 'us-east-1';
export const TABLE_NAME = 'herald-bench';
export const ADMIN_KEY = 'hrd_admin_bench_0123456789abcdefghijklmnopqrstuv';

/**
 * Herald's Lambda handlers as deployed (functions/<name>/handler.ts, configured through
 * the environment), in this process, against the emulators: the api function behind a
 * hand-made API Gateway event, each family's function fed SQS batches as the event source
 * mapping feeds it. The AWS adapters are the ones Lambda runs; only the endpoints differ.
 */
export interface Lambdas {
  emulators: Emulators;
  /** A request to the api function, as API Gateway would hand it over. */
  call(method: string, path: string, key: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Feeds a family's queue to its function, a batch of up to 10 at a time, until the queue is empty; each invocation's time. */
  drain(family: Family): Promise<{ messages: number; invocations: { records: number; ms: number }[] }>;
  /** An SQS client the bench uses itself (the meter leaves it out). */
  sqs: SQSClient;
  stop(): Promise<void>;
}

/**
 * Starts the emulators, provisions the table and queues, sets the environment as the stack
 * sets it for the functions (logging included), and imports the handlers: call this before
 * anything imports Herald's telemetry, which reads its settings once.
 */
export async function startLambdas(settings: FunctionSettings[], exclude: (client: object) => void): Promise<Lambdas> {
  const emulators = await startEmulators();
  const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };
  const sqs = new SQSClient({ region: REGION, endpoint: emulators.sqs, useQueueUrlAsEndpoint: false, credentials });
  const dynamodb = new DynamoDBClient({ region: REGION, endpoint: emulators.dynamodb, credentials });
  exclude(sqs);
  exclude(dynamodb);
  await provisionTable(dynamodb, TABLE_NAME);
  const queues = await provisionQueues(sqs, 'herald-bench');
  const api = settings.find((f) => f.name === 'api');
  Object.assign(process.env, {
    // What the stack gives every function (service name, metrics namespace, NODE_OPTIONS)...
    ...api?.environment,
    // ...its application log level, as Lambda's advanced logging controls pass it on...
    ...(api?.applicationLogLevel ? { AWS_LAMBDA_LOG_LEVEL: api.applicationLogLevel } : {}),
    // ...and, instead of the stack's ARNs and URLs, the emulators'.
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    HERALD_TABLE: TABLE_NAME,
    HERALD_ADMIN_KEY: ADMIN_KEY,
    HERALD_DYNAMODB_ENDPOINT: emulators.dynamodb,
    HERALD_SQS_ENDPOINT: emulators.sqs,
    HERALD_SES_ENDPOINT: emulators.ses,
    HERALD_SNS_ENDPOINT: emulators.sms.endpoint,
    // Receivers on this machine are allowed: the outbound policy of local mode.
    HERALD_LOCAL: '1',
    HERALD_LOG_FORMAT: 'json',
    HERALD_PROVIDERS: '{}',
  });
  for (const key of [
    'HERALD_ADMIN_KEY_SECRET_ARN',
    'HERALD_PROVIDERS_SECRET_ARN',
    'POWERTOOLS_DEV',
    'POWERTOOLS_METRICS_DISABLED',
    'NODE_OPTIONS',
  ])
    delete process.env[key];
  for (const family of FAMILY_NAMES) {
    process.env[queueUrlVariable(family)] = queues[family].url;
    process.env[dlqUrlVariable(family)] = queues[family].dlqUrl;
  }

  // As on Lambda, Herald's logger at the application log level the stack sets (it was made before).
  const { logger } = await import('../../shared/telemetry.js');
  logger.setLogLevel((api?.applicationLogLevel ?? 'INFO') as Parameters<typeof logger.setLogLevel>[0]);

  const apiHandler = (await import('../../functions/api/handler.js')).handler as unknown as ApiHandler;
  const families = new Map<Family, { handler: QueueHandler; arn: string }>();
  const familyOf = async (family: Family) => {
    const known = families.get(family);
    if (known) return known;
    const handler = (await import(`../../functions/${family}/handler.js`)).handler as QueueHandler;
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues[family].url, AttributeNames: ['QueueArn'] }));
    const loaded = { handler, arn: attrs.Attributes?.['QueueArn'] ?? family };
    families.set(family, loaded);
    return loaded;
  };

  return {
    emulators,
    sqs,
    async call(method, path, key, body, headers = {}) {
      return answerOf(await apiHandler(apiEvent(method, path, { authorization: `Bearer ${key}`, ...headers }, body), lambdaContext('api')));
    },
    async drain(family) {
      const { handler, arn } = await familyOf(family);
      const invocations: { records: number; ms: number }[] = [];
      // Each invocation timed, around the handler the event source calls.
      const timed: QueueHandler = async (event) => {
        const t0 = performance.now();
        const response = await handler(event, lambdaContext(family));
        invocations.push({ records: event.Records.length, ms: performance.now() - t0 });
        return response;
      };
      let messages = 0;
      for (;;) {
        const out = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queues[family].url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }),
        );
        const received = out.Messages ?? [];
        if (received.length === 0) return { messages, invocations };
        messages += received.length;
        await invokeWithBatch(sqs, { url: queues[family].url, arn, region: REGION }, timed, received);
      }
    },
    stop: () => emulators.stop(),
  };
}
