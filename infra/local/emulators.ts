import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import { startFauxqs } from 'fauxqs';
import { keepSentMail, startSesEmulator } from './mail.js';
import { startSmsOutbox, type SmsOutbox } from './sms-outbox.js';

/**
 * The AWS services the tests run the AWS adapters against, all in this process, on loopback.
 * Local mode uses only SES and the SMS outbox (startOutboxes): its store and queues are its own (engine/).
 */
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
 * SES (aws-ses-v2-local) and the SMS outbox, each on a free port unless one is given. With a
 * `dataDir`, the mail and SMS sent are kept there too (`outbox/`), so a restart keeps them.
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
  const outboxes = await startOutboxes(options);
  return {
    dynamodb: `http://${HOST}:${(dynamo.address() as AddressInfo).port}`,
    sqs: `http://${HOST}:${fauxqs.port}`,
    ...outboxes,
    async stop() {
      await Promise.all([new Promise<void>((resolve) => dynamo.close(() => resolve())), fauxqs.stop(), outboxes.stop()]);
    },
  };
}

/** Where local mode's mail and SMS go: SES (aws-ses-v2-local, with its mail viewer) and the SMS outbox, answering as SES and SNS. */
export type Outboxes = Pick<Emulators, 'ses' | 'sms' | 'stop'>;

/** SES and the SMS outbox alone (local mode keeps its store and queues in its own engine). */
export async function startOutboxes(options: { dataDir?: string; sesPort?: number } = {}): Promise<Outboxes> {
  const ses: Server = await startSesEmulator({ port: options.sesPort ?? 0, host: HOST });
  if (options.dataDir) keepSentMail(ses, join(options.dataDir, 'outbox', 'email.jsonl'));
  const sms = await startSmsOutbox(0, HOST, options.dataDir && join(options.dataDir, 'outbox', 'sms.jsonl'));
  return {
    ses: `http://${HOST}:${(ses.address() as AddressInfo).port}`,
    sms,
    async stop() {
      await Promise.all([
        new Promise<void>((resolve) => {
          ses.closeAllConnections?.();
          ses.close(() => resolve());
        }),
        sms.close(),
      ]);
    },
  };
}
