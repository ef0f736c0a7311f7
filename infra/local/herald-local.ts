import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { FAMILY_NAMES, type Family } from '../../shared/core/types.js';
import { dlqUrlVariable, queueUrlVariable, SWEEPER } from '../../shared/resources.js';
import { startEmulators, type Emulators } from './emulators.js';
import { portOf, startHttpGateway, type ApiHandler } from './http-gateway.js';
import { consoleRoute } from './console-route.js';
import { outboxRoutes } from './outbox-routes.js';
import { provisionQueues, provisionTable } from './provision.js';
import { SqsEventSource, type SqsHandler } from './sqs-event-source.js';
import { startStandIns, type StandIns } from './stand-ins/index.js';
import { readProviderSettings } from '../../shared/providers.js';

export interface LocalHerald {
  url: string;
  /** The web console, built at start. */
  consoleUrl: string;
  adminKey: string;
  adminKeyFile?: string;
  mailViewer: string;
  /** The emulators' endpoints, for the AWS CLI or an SDK (`--endpoint-url`). */
  endpoints: { dynamodb: string; sqs: string };
  /** The providers' stand-ins (also under /_local/<provider>/ on the API port). */
  standIns: StandIns;
  /** Providers set up with real accounts (HERALD_PROVIDERS, HERALD_PROVIDERS_FILE or providers.json in the data dir). */
  realProviders: string[];
  /** Whether HTTP channels may reach private and loopback addresses (not with HERALD_OUTBOUND_POLICY=aws). */
  allowPrivateOutbound: boolean;
  requeued: number;
  stop(): Promise<void>;
}

export interface LocalOptions {
  port: number;
  dataDir: string;
  adminKey?: string;
  sesPort?: number;
}

const TABLE_NAME = 'herald';
const REGION = 'us-east-1';

/**
 * Herald on one machine: the emulators, the table and queues, the api function behind a
 * local API Gateway, and each channel family's function fed from its queue. The handlers are the
 * Lambda ones, configured through the environment as on AWS; only the endpoints differ.
 * Handlers read their configuration when first imported, so this runs once per process.
 */
export async function startLocalHerald(options: LocalOptions): Promise<LocalHerald> {
  const dataDir = resolve(options.dataDir);
  makePrivate(dataDir);
  const { adminKey, adminKeyFile } = loadAdminKey(dataDir, options.adminKey);
  const emulators = await startEmulators({ dataDir, ...(options.sesPort ? { sesPort: options.sesPort } : {}) });
  const standIns = await startStandIns({ dataDir });
  try {
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
      HERALD_LOCAL: '1',
      HERALD_TABLE: TABLE_NAME,
      HERALD_ADMIN_KEY: adminKey,
      HERALD_DYNAMODB_ENDPOINT: emulators.dynamodb,
      HERALD_SQS_ENDPOINT: emulators.sqs,
      HERALD_SES_ENDPOINT: emulators.ses,
      HERALD_SNS_ENDPOINT: emulators.sms.endpoint,
    });
    process.env['HERALD_EMAIL_FROM'] ??= 'herald@localhost';
    // The installation's template overrides and provider settings, if the data dir has them.
    useDataDirFile(dataDir, 'templates.json', 'HERALD_TEMPLATES', 'HERALD_TEMPLATES_FILE');
    useDataDirFile(dataDir, 'providers.json', 'HERALD_PROVIDERS', 'HERALD_PROVIDERS_FILE');
    // Every provider at its stand-in, unless the installation's settings name a real account.
    const real = readProviderSettings();
    process.env['HERALD_PROVIDERS'] = JSON.stringify({ ...standIns.settings, ...real });
    delete process.env['HERALD_PROVIDERS_FILE'];

    await provisionTable(new DynamoDBClient({ region: REGION, endpoint: emulators.dynamodb }), TABLE_NAME);
    const { sqsClient } = await import('../../shared/aws/sqs-client.js');
    const { outboundOf, readConfig } = await import('../../shared/config.js');
    const sqs = sqsClient(readConfig());
    const queues = await provisionQueues(sqs, 'herald');
    for (const family of FAMILY_NAMES) {
      process.env[queueUrlVariable(family)] = queues[family].url;
      process.env[dlqUrlVariable(family)] = queues[family].dlqUrl;
    }

    const api = (await import('../../functions/api/handler.js')).handler as unknown as ApiHandler;
    const sources: SqsEventSource[] = [];
    for (const family of FAMILY_NAMES) {
      const handler = (await importFamilyHandler(family)) as SqsHandler;
      const arn = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues[family].url, AttributeNames: ['QueueArn'] }));
      sources.push(new SqsEventSource(sqs, queues[family].url, arn.Attributes?.['QueueArn'] ?? family, handler, { region: REGION }));
    }

    // The queues live in memory: put back what the delivery records say is due.
    const requeued = await requeueFromRecords();
    for (const source of sources) source.start();
    const sweeper = (await import('../../functions/sweeper/handler.js')).handler;
    // More often than on AWS (EventBridge's minute): it costs little here, and a crash's resend comes sooner.
    const sweeping = setInterval(() => {
      sweeper().catch((err: unknown) => console.error('sweeper failed', err));
    }, SWEEPER.localEverySeconds * 1000);

    const consoleFiles = await consoleRoute();
    const gateway: Server = await startHttpGateway({
      port: options.port,
      handler: api,
      routes: [consoleFiles],
      localRoutes: outboxRoutes(emulators, standIns),
    });
    const url = `http://127.0.0.1:${portOf(gateway)}`;
    return {
      url,
      consoleUrl: `${url}/console/`,
      adminKey,
      ...(adminKeyFile ? { adminKeyFile } : {}),
      mailViewer: `${url}/_local/mail/`,
      endpoints: { dynamodb: emulators.dynamodb, sqs: emulators.sqs },
      standIns,
      realProviders: Object.keys(real),
      allowPrivateOutbound: outboundOf(readConfig()).allowPrivate,
      requeued,
      async stop() {
        clearInterval(sweeping);
        gateway.closeAllConnections();
        await new Promise<void>((r) => gateway.close(() => r()));
        await Promise.all(sources.map((s) => s.stop()));
        await emulators.stop();
        await standIns.close();
      },
    };
  } catch (err) {
    await emulators.stop();
    await standIns.close();
    throw err;
  }
}

function importFamilyHandler(family: Family): Promise<unknown> {
  const modules: Record<Family, () => Promise<{ handler: unknown }>> = {
    email: () => import('../../functions/email/handler.js'),
    sms: () => import('../../functions/sms/handler.js'),
    slack: () => import('../../functions/slack/handler.js'),
    webhook: () => import('../../functions/webhook/handler.js'),
    chat: () => import('../../functions/chat/handler.js'),
    push: () => import('../../functions/push/handler.js'),
    incident: () => import('../../functions/incident/handler.js'),
  };
  return modules[family]().then((m) => m.handler);
}

/**
 * Data migrations to the end, then the sweeper looking ahead by its grace, page after page:
 * every delivery that is due goes back on its queue now.
 */
async function requeueFromRecords(): Promise<number> {
  const { heraldDeps } = await import('../../shared/aws/wiring.js');
  const { readConfig } = await import('../../shared/config.js');
  const { sweep } = await import('../../shared/services/sweeper.js');
  const config = readConfig();
  const deps = heraldDeps(config);
  await deps.migrations.run(Infinity);
  let requeued = 0;
  for (;;) {
    const options = { ...SWEEPER, lookAheadSeconds: SWEEPER.graceSeconds, disableAfterDays: config.disableAfterDays, migrationSeconds: 0 };
    const swept = await sweep(deps, options);
    requeued += swept.requeued;
    if (swept.found < SWEEPER.maxPerRun) return requeued;
  }
}

/** A settings file in the data dir stands for `<fileVariable>` unless the environment sets either variable. */
function useDataDirFile(dataDir: string, name: string, variable: string, fileVariable: string): void {
  const file = join(dataDir, name);
  if (!process.env[variable] && !process.env[fileVariable] && existsSync(file)) process.env[fileVariable] = file;
}

/**
 * The data dir holds webhook secrets, provider settings and the admin key in clear: only its
 * owner may enter it. Made 700; one made wider (by an earlier version, 755) is tightened.
 */
function makePrivate(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if ((statSync(dataDir).mode & 0o077) === 0) return;
  try {
    chmodSync(dataDir, 0o700);
  } catch (err) {
    console.warn(`Herald: ${dataDir} is readable by others and could not be made private (${(err as Error).message})`);
  }
}

/** HERALD_ADMIN_KEY if set; else the one kept in the data dir; else a new one, kept there. */
function loadAdminKey(dataDir: string, given?: string): { adminKey: string; adminKeyFile?: string } {
  if (given) return { adminKey: given };
  const file = join(dataDir, 'admin-key');
  if (existsSync(file)) return { adminKey: readFileSync(file, 'utf8').trim(), adminKeyFile: file };
  const adminKey = `hrd_admin_${randomBytes(32).toString('base64url')}`;
  writeFileSync(file, `${adminKey}\n`, { mode: 0o600 });
  return { adminKey, adminKeyFile: file };
}

export type { Emulators };
