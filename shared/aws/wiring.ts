import { SilenceCounts } from '../services/silence-counts.js';
import { DynamoSilenceStore } from './dynamo-silence-store.js';
import { DynamoContactStore } from './dynamo-contact-store.js';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { sqsClient } from './sqs-client.js';
import { dlqUrlOf, outboundOf, queueUrlOf, timerQueueUrlOf, type Config } from '../config.js';
import type { DeliveryStore, EmailSender, IncidentLedger, NotifierStore, PacingStore, SmsSender, TimerQueue } from '../core/ports.js';
import { DELIVERY } from '../resources.js';
import type { HeraldDeps } from '../services/deps.js';
import { RoutingCache } from '../services/routing-cache.js';
import { EventQuota } from '../services/event-quota.js';
import { DynamoAppStore, DynamoKeyStore } from './dynamo-app-store.js';
import { DynamoDeliveryStore } from './dynamo-delivery-store.js';
import { DynamoDataMigrations } from './dynamo-migrations.js';
import { DynamoEventStore } from './dynamo-event-store.js';
import { DynamoGroupStore } from './dynamo-group-store.js';
import { DynamoIncidentStore } from './dynamo-incident-store.js';
import { DynamoIncidentLedger } from './dynamo-incident-ledger.js';
import { DynamoPacingStore } from './dynamo-pacing-store.js';
import { DynamoHeartbeatStore } from './dynamo-heartbeat-store.js';
import { DynamoRepeatCounter } from './dynamo-repeat-counter.js';
import { DynamoStateStore } from './dynamo-state-store.js';
import { DynamoNotifierStore } from './dynamo-notifier-store.js';
import { DynamoSourceStore } from './dynamo-source-store.js';
import { createTable, type Table } from './dynamo-table.js';
import { RecordKeys } from './event-records.js';
import { SqsDeadLetterQueues } from './sqs-dead-letters.js';
import { SqsDeliveryQueue } from './sqs-delivery-queue.js';
import { SqsTimerQueue } from './sqs-timer-queue.js';
import { SesEmailSender } from './ses-email-sender.js';
import { SnsSmsSender } from './sns-sms-sender.js';

/**
 * The composition root of every function (the api, ingest, the sweeper, the channel
 * functions): AWS clients, created once per cold start and pointed at the emulators in local
 * mode, behind the ports the services use. Each function calls only what it runs, so that
 * esbuild leaves the rest out of its bundle.
 */

/** Clients to use instead of the configured ones: the tests' (a table client with faults or limits, a queue with a policy). */
export interface AwsClients {
  dynamodb?: DynamoDBClient;
  sqs?: SQSClient;
}

/** The table and the SQS client, from the configuration or given. */
function awsClients(config: Config, clients: AwsClients): { table: Table; sqs: SQSClient } {
  const table = createTable(config.tableName, {
    region: config.region,
    endpoint: config.endpoints.dynamodb,
    ...(clients.dynamodb ? { client: clients.dynamodb } : {}),
  });
  return { table, sqs: clients.sqs ?? sqsClient(config) };
}

/** The api's, ingest's and the sweeper's ports. */
export function heraldDeps(config: Config, clients: AwsClients = {}): HeraldDeps {
  const { table, sqs } = awsClients(config, clients);
  const notifiers = new DynamoNotifierStore(table);
  const silences = new DynamoSilenceStore(table);
  const contacts = new DynamoContactStore(table);
  const records = new RecordKeys(table);
  return {
    apps: new DynamoAppStore(table),
    keys: new DynamoKeyStore(table),
    sources: new DynamoSourceStore(table),
    silences,
    notifiers,
    contacts,
    events: new DynamoEventStore(table, records, config.retentionDays),
    deliveries: new DynamoDeliveryStore(table, records, config.retentionDays),
    queue: new SqsDeliveryQueue(sqs, (channel) => queueUrlOf(config, channel)),
    deadLetters: new SqsDeadLetterQueues(sqs, (channel) => dlqUrlOf(config, channel)),
    timers: new SqsTimerQueue(sqs, () => timerQueueUrlOf(config)),
    heartbeats: new DynamoHeartbeatStore(table),
    repeats: new DynamoRepeatCounter(table),
    states: new DynamoStateStore(table),
    incidents: new DynamoIncidentStore(table, config.retentionDays),
    groups: new DynamoGroupStore(table),
    migrations: new DynamoDataMigrations(table, records, config.retentionDays),
    messages: config.messages,
    outbound: outboundOf(config),
    routing: new RoutingCache(notifiers, silences, contacts),
    quota: new EventQuota(),
    silenceCounts: new SilenceCounts(),
    clock: () => new Date(),
  };
}

/** A channel function's: the stores an attempt reads and writes, and the SQS client that holds its queue's messages. */
export function channelDeps(
  config: Config,
  clients: AwsClients = {},
): {
  deliveries: DeliveryStore;
  notifiers: NotifierStore;
  incidentLedger: IncidentLedger;
  timers: TimerQueue;
  pacing: PacingStore;
  sqs: SQSClient;
} {
  const { table, sqs } = awsClients(config, clients);
  return {
    deliveries: new DynamoDeliveryStore(table, new RecordKeys(table), config.retentionDays),
    notifiers: new DynamoNotifierStore(table),
    incidentLedger: new DynamoIncidentLedger(table),
    // A failed delivery's failover is a timer (services/failover.ts): the sweeper does it.
    timers: new SqsTimerQueue(sqs, () => timerQueueUrlOf(config)),
    pacing: new DynamoPacingStore(table),
    sqs,
  };
}

/** The email function's sender: SES (local mode: its emulator). */
export const sesEmailSender = (config: Config): EmailSender =>
  new SesEmailSender(new SESv2Client(providerClientConfig(config, config.endpoints.ses)));

/** The sms function's sender for the sms channel: SNS (local mode: its emulator). */
export const snsSmsSender = (config: Config): SmsSender =>
  new SnsSmsSender(new SNSClient(providerClientConfig(config, config.endpoints.sns)));

/** SDK settings for provider calls: one try per attempt (Herald retries itself), bounded in time. */
export const providerClientConfig = (config: Config, endpoint: string | undefined) => ({
  region: config.region,
  maxAttempts: 1,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: DELIVERY.httpTimeoutMs },
  ...(endpoint ? { endpoint } : {}),
});
