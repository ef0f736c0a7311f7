import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { FAMILY_NAMES, type Family } from '../../shared/core/types.js';
import { messagesOf, type QueueMessage } from '../../shared/aws/sqs-message-body.js';
import { readProviderSettings } from '../../shared/providers.js';
import { consoleRoute } from './console-route.js';
import { startOutboxes, type Outboxes } from './emulators.js';
import { Engine } from './engine/engine.js';
import { portOf, startHttpGateway } from './http-gateway.js';
import { startLocalServices, type LocalServices } from './local-services.js';
import { moveInEarlierData } from './move-in.js';
import { outboxRoutes } from './outbox-routes.js';
import { startStandIns, type StandIns } from './stand-ins/index.js';

export interface LocalHerald {
  url: string;
  /** The web console, built at start. */
  consoleUrl: string;
  adminKey: string;
  adminKeyFile?: string;
  mailViewer: string;
  /** Where the store and queues are kept (the engine's journal and snapshots). */
  storeDir: string;
  /** SES and SNS as local mode answers them (for the AWS CLI or an SDK: `--endpoint-url`). */
  endpoints: { ses: string; sns: string };
  /** The providers' stand-ins (also under /_local/<provider>/ on the API port). */
  standIns: StandIns;
  /** Providers set up with real accounts (HERALD_PROVIDERS, HERALD_PROVIDERS_FILE or providers.json in the data dir). */
  realProviders: string[];
  /** Whether HTTP channels may reach private and loopback addresses (not with HERALD_OUTBOUND_POLICY=aws). */
  allowPrivateOutbound: boolean;
  /** The timer queue and its handlers, as the services run them (a test sets a timer and swaps a handler to see it fire). */
  timers: LocalServices['timers'];
  /** Deliveries the queues kept from the last run, waiting to be sent. */
  requeued: number;
  /** What a data dir of an earlier version held, moved into the store at this start (items), if it was. */
  movedIn?: { items: number; keptAt: string };
  stop(): Promise<void>;
}

export interface LocalOptions {
  port: number;
  dataDir: string;
  adminKey?: string;
  sesPort?: number;
}

const REGION = 'us-east-1';

/**
 * Herald on one machine: the api's code behind a local API Gateway, each channel family's
 * code fed from its queue, the sweeper on a timer, all on the embedded store and queues
 * (engine/: memory, and a journal in `<dataDir>/store/`); SES and SNS answered by local
 * outboxes. The configuration is read from the environment, as on AWS.
 */
export async function startLocalHerald(options: LocalOptions): Promise<LocalHerald> {
  const dataDir = resolve(options.dataDir);
  makePrivate(dataDir);
  const { adminKey, adminKeyFile } = loadAdminKey(dataDir, options.adminKey);
  const outboxes = await startOutboxes({ dataDir, ...(options.sesPort ? { sesPort: options.sesPort } : {}) });
  const standIns = await startStandIns({ dataDir });
  let engine: Engine | undefined;
  try {
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
      HERALD_LOCAL: '1',
      HERALD_TABLE: 'herald',
      HERALD_ADMIN_KEY: adminKey,
      HERALD_SES_ENDPOINT: outboxes.ses,
      HERALD_SNS_ENDPOINT: outboxes.sms.endpoint,
    });
    process.env['HERALD_EMAIL_FROM'] ??= 'herald@localhost';
    // The installation's template overrides and provider settings, if the data dir has them.
    useDataDirFile(dataDir, 'templates.json', 'HERALD_TEMPLATES', 'HERALD_TEMPLATES_FILE');
    useDataDirFile(dataDir, 'providers.json', 'HERALD_PROVIDERS', 'HERALD_PROVIDERS_FILE');
    // Every provider at its stand-in, unless the installation's settings name a real account.
    const real = readProviderSettings();
    process.env['HERALD_PROVIDERS'] = JSON.stringify({ ...standIns.settings, ...real });
    delete process.env['HERALD_PROVIDERS_FILE'];

    const storeDir = join(dataDir, 'store');
    engine = await Engine.open({ dir: storeDir });
    const movedIn = await moveInEarlierData(dataDir, engine);
    const requeued = waitingDeliveries(engine);
    const services: LocalServices = await startLocalServices(engine);

    const gateway: Server = await startHttpGateway({
      port: options.port,
      handler: services.api,
      routes: [await consoleRoute()],
      localRoutes: outboxRoutes(outboxes, standIns),
    });
    const url = `http://127.0.0.1:${portOf(gateway)}`;
    // The links in messages (acknowledge an incident) lead here, unless Herald is reached elsewhere.
    if (!process.env['HERALD_PUBLIC_URL']) services.links?.useBaseUrl(url);
    const opened = engine;
    return {
      url,
      consoleUrl: `${url}/console/`,
      adminKey,
      ...(adminKeyFile ? { adminKeyFile } : {}),
      mailViewer: `${url}/_local/mail/`,
      storeDir,
      endpoints: { ses: outboxes.ses, sns: outboxes.sms.endpoint },
      standIns,
      realProviders: Object.keys(real),
      allowPrivateOutbound: services.allowPrivateOutbound,
      timers: services.timers,
      requeued,
      ...(movedIn ? { movedIn } : {}),
      async stop() {
        gateway.closeAllConnections();
        await new Promise<void>((r) => gateway.close(() => r()));
        await services.stop();
        // Everything written is on the disk before the process ends.
        await opened.close();
        await outboxes.stop();
        await standIns.close();
      },
    };
  } catch (err) {
    await engine?.close();
    await outboxes.stop();
    await standIns.close();
    throw err;
  }
}

/** The deliveries on the family queues (not their DLQs): what the last run left to send. */
function waitingDeliveries(engine: Engine): number {
  let waiting = 0;
  for (const [, message] of engine.queues.entries())
    if (FAMILY_NAMES.includes(message.queue as Family)) waiting += messagesOf(message.body as QueueMessage).length;
  return waiting;
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

export type { Outboxes };
