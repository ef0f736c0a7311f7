import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import { startSmsOutbox, type SmsOutbox } from './sms-outbox.js';

/** The AWS services local mode emulates, all in this process, on loopback. */
export interface Emulators {
  dynamodb: string;
  sqs: string;
  ses: string;
  sms: SmsOutbox;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Start DynamoDB (dynalite, on disk under `dataDir` when given), SQS (fauxqs, in memory),
 * SES (aws-ses-v2-local) and the SMS outbox, each on a free port unless one is given.
 */
export async function startEmulators(options: { dataDir?: string; sesPort?: number } = {}): Promise<Emulators> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const dynamo = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {}),
  });
  await new Promise<void>((resolve) => dynamo.listen(0, HOST, () => resolve()));
  const fauxqs = await startFauxqs({ port: 0, host: HOST, logger: false });
  // A CommonJS module: its default export sits one level deeper or not, depending on the loader.
  type StartSes = (c: { port: number; host: string }) => Promise<Server>;
  const sesModule = (await import('aws-ses-v2-local')) as unknown as { default: StartSes | { default: StartSes } };
  const startSes = typeof sesModule.default === 'function' ? sesModule.default : sesModule.default.default;
  const ses = await startSes({ port: options.sesPort ?? 0, host: HOST });
  const sms = await startSmsOutbox(0, HOST);
  return {
    dynamodb: `http://${HOST}:${(dynamo.address() as AddressInfo).port}`,
    sqs: `http://${HOST}:${fauxqs.port}`,
    ses: `http://${HOST}:${(ses.address() as AddressInfo).port}`,
    sms,
    async stop() {
      await Promise.all([
        new Promise<void>((resolve) => dynamo.close(() => resolve())),
        fauxqs.stop(),
        new Promise<void>((resolve) => {
          ses.closeAllConnections?.();
          ses.close(() => resolve());
        }),
        sms.close(),
      ]);
    },
  };
}
