import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { handle } from 'hono/aws-lambda';
import { createApi } from '../../functions/api/api.js';
import { apiDeps } from '../../shared/aws/api-wiring.js';
import { heraldDeps, sesEmailSender, snsSmsSender } from '../../shared/aws/wiring.js';
import { sqsClient } from '../../shared/aws/sqs-client.js';
import { channelFunction } from '../../shared/channel-function.js';
import { sweeperFunction } from '../../shared/sweeper-function.js';
import { timerHandlers } from '../../shared/services/timer-handlers.js';
import type { TimerHandlers } from '../../shared/services/timers.js';
import { CHANNELS } from './channels.js';
import type { Config } from '../../shared/config.js';
import { FAMILIES, FAMILY_NAMES, type Family } from '../../shared/core/types.js';
import type { ApiDeps } from '../../shared/services/deps.js';
import { startEmulators, type Emulators } from '../../infra/local/emulators.js';
import { portOf, startHttpGateway, type ApiHandler } from '../../infra/local/http-gateway.js';
import { consoleRoute } from '../../infra/local/console-route.js';
import { outboxRoutes } from '../../infra/local/outbox-routes.js';
import { provisionQueues, provisionTable, provisionTimerQueue, type ProvisionedQueue } from '../../infra/local/provision.js';
import { SqsEventSource, type SqsHandler } from '../../infra/local/sqs-event-source.js';
import { startStandIns, type StandIns } from '../../infra/local/stand-ins/index.js';
import { dynamoClientWithLimits } from './dynamo-limits.js';
import { withQueuePolicy, withTablePolicy, type TableRole } from './table-policy.js';

export interface TestHerald {
  url: string;
  adminKey: string;
  config: Config;
  deps: ApiDeps;
  emulators: Emulators;
  /** The providers' stand-ins, which the provider settings point at. */
  standIns: StandIns;
  sqs: SQSClient;
  queues: Record<Family, ProvisionedQueue>;
  channelHandlers: Record<Family, SqsHandler>;
  timerQueue: ProvisionedQueue;
  /** The sweeper function (functions/sweeper/handler.ts) on its own table client: the minute's sweep, or a batch of timers. */
  sweeperHandler: ReturnType<typeof sweeperFunction>;
  /** What the sweeper does with each kind of timer when due: swap one to see a timer fire. */
  timerHandlers: TimerHandlers;
  /**
   * Create an app (name: the id capitalised, owner o@<id>.example, unless given) and its
   * notifiers, as an admin would; resolves to the app's ingest key. Throws on any refusal.
   */
  createApp(id: string, options?: { name?: string; owner?: string; notifiers?: object[] } & Record<string, unknown>): Promise<string>;
  /** Start feeding the channel functions from their queues, and the sweeper from the timer queue (as Lambda's event sources do). */
  startDelivering(): void;
  call(
    method: string,
    path: string,
    options?: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/**
 * A table and queues of their own on the emulators (under a random prefix), and the config
 * that names them: retries after 1 s, Herald's settings as the tests use them unless given.
 */
export async function provisionTestAws(
  emulators: Emulators,
  settings: Partial<Config> = {},
): Promise<{
  config: Config;
  dynamodb: DynamoDBClient;
  sqs: SQSClient;
  queues: Record<Family, ProvisionedQueue>;
  timerQueue: ProvisionedQueue;
}> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  // A table client that refuses what DynamoDB would and dynalite does not (an expression past its limits).
  const dynamodb = dynamoClientWithLimits(emulators.dynamodb);
  await provisionTable(dynamodb, prefix);
  const base: Config = {
    region: 'us-east-1',
    tableName: prefix,
    queueUrls: {},
    dlqUrls: {},
    retrySchedule: [1, 1, 1],
    disableAfterDays: 5,
    retentionDays: 30,
    messages: {},
    emailFrom: 'herald@test.example',
    providers: {},
    endpoints: { dynamodb: emulators.dynamodb, sqs: emulators.sqs, ses: emulators.ses, sns: emulators.sms.endpoint },
    local: true,
    ...settings,
  };
  const sqs = sqsClient(base);
  const queues = await provisionQueues(sqs, prefix);
  const timerQueue = await provisionTimerQueue(sqs, prefix);
  const config: Config = {
    ...base,
    queueUrls: Object.fromEntries(FAMILY_NAMES.map((f) => [f, queues[f].url])),
    dlqUrls: Object.fromEntries(FAMILY_NAMES.map((f) => [f, queues[f].dlqUrl])),
    timerQueueUrl: timerQueue.url,
  };
  return { config, dynamodb, sqs, queues, timerQueue };
}

/**
 * Herald wired as on AWS, against the emulators, on free ports: the api function behind the
 * local API Gateway, and the channel functions (built by the same factory as the handlers).
 */
export async function startTestHerald(
  options: {
    emulators?: Emulators;
    retrySchedule?: number[];
    messages?: Config['messages'];
    local?: boolean;
    /** Default: every provider at its stand-in. */
    providers?: Config['providers'];
    /** Serve the web console at /console/ (built with esbuild: a second or so). */
    console?: boolean;
    /** A stand-in of SNS trusted for inbound SNS sources (test/support/sns-stand-in.ts: its `trust`). */
    snsStandIn?: Config['snsStandIn'];
  } = {},
): Promise<TestHerald> {
  const emulators = options.emulators ?? (await startEmulators());
  const standIns = await startStandIns();
  const { config, sqs, queues, timerQueue } = await provisionTestAws(emulators, {
    retrySchedule: options.retrySchedule ?? [1, 1, 1],
    messages: options.messages ?? {},
    adminKey: `hrd_admin_${randomBytes(32).toString('base64url')}`,
    providers: options.providers ?? standIns.settings,
    local: options.local ?? true,
    ...(options.snsStandIn ? { snsStandIn: options.snsStandIn } : {}),
  });
  // Each function's table client refuses what DynamoDB would and dynalite does not: an
  // expression past its limits, and a call outside the function's role in the stack.
  const tableClient = (role: TableRole) => withTablePolicy(dynamoClientWithLimits(emulators.dynamodb), role);
  const deps = await apiDeps(config, { dynamodb: tableClient('api') });
  const gateway: Server = await startHttpGateway({
    port: 0,
    handler: handle(createApi(deps)) as unknown as ApiHandler,
    routes: options.console ? [await consoleRoute()] : [],
    localRoutes: outboxRoutes(emulators, standIns),
  });
  const url = `http://127.0.0.1:${portOf(gateway)}`;
  deps.links?.useBaseUrl(url); // as local mode: the links in messages lead to where it listens
  // Each family's function, as its handler builds it (functions/<family>/handler.ts), with every channel of the family.
  const send = {
    email: sesEmailSender(config),
    emailFrom: config.emailFrom,
    sms: snsSmsSender(config),
    providers: config.providers,
  };
  const channelHandlers = Object.fromEntries(
    FAMILY_NAMES.map((family) => [
      family,
      channelFunction(
        family,
        FAMILIES[family].map((c) => CHANNELS[c]),
        config,
        send,
        {
          dynamodb: tableClient(family),
          sqs: withQueuePolicy(sqsClient(config), family, { ...queues[family], timerQueueUrl: timerQueue.url }),
        },
      ),
    ]),
  ) as Record<Family, SqsHandler>;
  const sweeperDeps = heraldDeps(config, { dynamodb: tableClient('sweeper') });
  const handlers = timerHandlers(sweeperDeps);
  const sweeperHandler = sweeperFunction(sweeperDeps, { disableAfterDays: config.disableAfterDays, handlers });
  const sources: SqsEventSource[] = [];
  return {
    url,
    adminKey: config.adminKey as string,
    config,
    deps,
    emulators,
    standIns,
    sqs,
    queues,
    channelHandlers,
    timerQueue,
    sweeperHandler,
    timerHandlers: handlers,
    startDelivering() {
      const feeds: [string, SqsHandler][] = [
        ...FAMILY_NAMES.map((family): [string, SqsHandler] => [queues[family].url, channelHandlers[family]]),
        [timerQueue.url, sweeperHandler as SqsHandler],
      ];
      void (async () => {
        for (const [url, handler] of feeds) {
          const arn = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
          const source = new SqsEventSource(sqs, url, arn.Attributes?.['QueueArn'] ?? url, handler, { waitTimeSeconds: 1 });
          sources.push(source);
          source.start();
        }
      })();
    },
    async createApp(this: TestHerald, id: string, { name, owner, notifiers = [], ...fields }: Parameters<TestHerald['createApp']>[1] = {}) {
      const app = await this.call('POST', '/v1/apps', {
        key: this.adminKey,
        body: { id, name: name ?? `${id[0]?.toUpperCase()}${id.slice(1)}`, owner: { email: owner ?? `o@${id}.example` }, ...fields },
      });
      if (app.status !== 201) throw new Error(`creating app ${id}: ${app.status} ${JSON.stringify(app.body)}`);
      for (const body of notifiers) {
        const res = await this.call('POST', `/v1/apps/${id}/notifiers`, { key: this.adminKey, body });
        if (res.status !== 201) throw new Error(`creating a notifier of ${id}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      return app.body.apiKey as string;
    },
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.key) headers['authorization'] = `Bearer ${opts.key}`;
      let body: string | undefined = opts.raw;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async stop() {
      gateway.closeAllConnections();
      await new Promise<void>((r) => gateway.close(() => r()));
      await Promise.all(sources.map((s) => s.stop()));
      await standIns.close();
      if (!options.emulators) await emulators.stop();
    },
  };
}

/**
 * Everything Herald stores in a table, as one string, but the items whose key starts with
 * `leftOut` (counters that count refused requests too): a request refused without changing
 * anything leaves it the same.
 */
export async function storedItems(dynamodb: DynamoDBClient, tableName: string, leftOut: string): Promise<string> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []).filter((i) => !String(i['pk']?.S).startsWith(leftOut)));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}
