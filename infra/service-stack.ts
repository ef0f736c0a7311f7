import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { ADDRESSING } from '../shared/channels/addressing.js';
import { readsProviderSettings } from '../shared/channels/channel.js';
import { FAMILIES, FAMILY_NAMES, type Family } from '../shared/core/types.js';
import { dlqUrlVariable, queueUrlVariable, SWEEPER, TABLE, TABLE_ACCESS, TIMERS } from '../shared/resources.js';
import { AlarmTopic } from './constructs/alarm-topic.construct.js';
import { ChannelFunction } from './constructs/channel-function.construct.js';
import { HeraldFunction, type FunctionLogLevel } from './constructs/herald-function.js';
import { HeraldHttpApi } from './constructs/http-api.construct.js';
import { Observability } from './constructs/observability.construct.js';
import { ServiceAlarms } from './constructs/service-alarms.construct.js';
import type { HeraldDataStack } from './data-stack.js';
import { InboundTopics, type SnsSubscription } from './sns-subscriptions.js';

const root = fileURLToPath(new URL('../', import.meta.url));

export interface HeraldServiceStackProps extends StackProps {
  readonly data: HeraldDataStack;
  /** The address mail comes from; its domain (or itself) must be a verified SES identity. */
  readonly emailFrom: string;
  /** Days to keep function logs. */
  readonly logRetentionDays: number;
  /** The functions' log level (herald:logLevel): INFO by default, DEBUG adds a line per sent attempt. */
  readonly logLevel?: FunctionLogLevel;
  /** Days to keep events and their deliveries (DynamoDB TTL); Herald's default (30) when unset. */
  readonly retentionDays?: number;
  /** Message settings: the default language, template overrides (JSON), the console's URL. */
  readonly messages?: { locale?: string; templates?: string; consoleUrl?: string };
  /** The HTTP API's throttle (requests per second across all apps, and burst) and whether it writes an access log line per request. */
  readonly api?: { rateLimit?: number; burstLimit?: number; accessLog?: boolean };
  /**
   * The ingest function's own URL (a Lambda function URL) as a second way in for events and
   * heartbeats, without API Gateway's charge (context herald:ingestUrl). Off by default: a
   * public function URL is a finding for some scanners (Security Hub's Lambda.1), the HTTP
   * API's throttle does not cover it, and some regions have no function URLs.
   */
  readonly ingestUrl?: boolean;
  /** Herald's own URL, for the links in its messages (an incident's acknowledge link): default, the HTTP API's. */
  readonly publicUrl?: string;
  /** An address subscribed by e-mail to every alarm (it confirms the subscription first); none when unset. */
  readonly alarmEmail?: string;
  /** SNS topics subscribed over HTTPS to inbound sources' URLs (context herald:snsSubscriptions). */
  readonly snsSubscriptions?: readonly SnsSubscription[];
}

/** The families with a channel that reads the installation's provider settings (they read the providers secret), from the channels' addressing. */
const NEEDS_PROVIDERS: Family[] = FAMILY_NAMES.filter((family) => FAMILIES[family].some((name) => readsProviderSettings(ADDRESSING[name])));

/** The code: the api and ingest functions behind the HTTP API, and one function per channel family. */
export class HeraldServiceStack extends Stack {
  constructor(scope: Construct, id: string, props: HeraldServiceStackProps) {
    super(scope, id, props);
    const { table, queues, timerQueue, adminKey, tableKey, providers } = props.data;
    // Reading and writing the table means using its key.
    const tableKeyUse = () =>
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [tableKey.keyArn],
      });
    const common = {
      HERALD_TABLE: table.tableName,
      HERALD_EMAIL_FROM: props.emailFrom,
      ...(props.messages?.locale ? { HERALD_LOCALE: props.messages.locale } : {}),
      ...(props.messages?.templates ? { HERALD_TEMPLATES: props.messages.templates } : {}),
      ...(props.messages?.consoleUrl ? { HERALD_CONSOLE_URL: props.messages.consoleUrl } : {}),
      ...(props.retentionDays ? { HERALD_RETENTION_DAYS: String(props.retentionDays) } : {}),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    // The functions that queue deliveries set timers too (a group's next notification).
    const queueUrls = {
      ...Object.fromEntries(
        FAMILY_NAMES.flatMap((c) => [
          [queueUrlVariable(c), queues[c].queue.queueUrl],
          [dlqUrlVariable(c), queues[c].dlq.queueUrl],
        ]),
      ),
      [TIMERS.queueUrlVariable]: timerQueue.queue.queueUrl,
    };
    // Setting a timer is sending it (SendMessageBatch is authorized as SendMessage): nothing more.
    const setTimers = () => new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [timerQueue.queue.queueArn] });
    // The api and the sweeper work on items of the table and query its indexes; no table changes.
    const tableItems = () =>
      new iam.PolicyStatement({
        actions: TABLE_ACCESS.service.actions.map((a) => `dynamodb:${a}`),
        resources: [table.tableArn, ...TABLE.indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
      });

    const api = new HeraldFunction(this, 'ApiFunction', {
      name: 'api',
      // API Gateway waits 30 s at most; a notifier test or a redrive may take a while.
      timeout: Duration.seconds(29),
      environment: {
        ...common,
        ...queueUrls,
        HERALD_ADMIN_KEY_SECRET_ARN: adminKey.secretArn,
        HERALD_PROVIDERS_SECRET_ARN: providers.secretArn,
      },
      logRetentionDays: props.logRetentionDays,
      ...(props.logLevel ? { logLevel: props.logLevel } : {}),
    });
    api.fn.addToRolePolicy(tableItems());
    api.fn.addToRolePolicy(tableKeyUse());
    api.fn.addToRolePolicy(setTimers());
    for (const c of FAMILY_NAMES) {
      queues[c].queue.grantSendMessages(api.fn);
      queues[c].dlq.grantConsumeMessages(api.fn); // count and redrive
    }
    adminKey.grantRead(api.fn);
    providers.grantRead(api.fn); // a notifier of a provider that is not set up is refused
    // The ingest key's routes (posting events and heartbeats) in a function of their own: its
    // bundle and cold start carry none of the admin API (notifier targets, templates, previews).
    const ingest = new HeraldFunction(this, 'IngestFunction', {
      name: 'ingest',
      description: 'Herald: apps post events and heartbeats',
      timeout: Duration.seconds(29),
      environment: { ...common, ...queueUrls, HERALD_ADMIN_KEY_SECRET_ARN: adminKey.secretArn },
      logRetentionDays: props.logRetentionDays,
      ...(props.logLevel ? { logLevel: props.logLevel } : {}),
    });
    ingest.fn.addToRolePolicy(tableItems());
    ingest.fn.addToRolePolicy(tableKeyUse());
    ingest.fn.addToRolePolicy(setTimers());
    for (const c of FAMILY_NAMES) queues[c].queue.grantSendMessages(ingest.fn);
    adminKey.grantRead(ingest.fn); // the admin key may post events too
    if (props.ingestUrl) {
      // Herald checks the key of every request itself, as behind the HTTP API (no authorizer there either).
      const url = ingest.fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
      new CfnOutput(this, 'IngestUrl', {
        value: url.url,
        description:
          'Post events, heartbeats and inbound payloads here (v1/events, v1/events/batch, v1/inbound/...): no API Gateway charge',
      });
    }
    // The console's files, in a function of their own so that the api function's bundle (and cold start) does not carry them.
    const consoleFiles = new HeraldFunction(this, 'ConsoleFunction', {
      name: 'console',
      description: "Herald's web console: its static files",
      memorySize: 256,
      logRetentionDays: props.logRetentionDays,
      ...(props.logLevel ? { logLevel: props.logLevel } : {}),
      afterBundling: (outputDir) => [`cd "${root}" && node --import tsx console/build.ts "${outputDir}/console"`],
    });
    const http = new HeraldHttpApi(this, 'Http', {
      handler: api.fn,
      ingest: ingest.fn,
      console: consoleFiles.fn,
      ...(props.api?.rateLimit !== undefined ? { rateLimit: props.api.rateLimit } : {}),
      ...(props.api?.burstLimit !== undefined ? { burstLimit: props.api.burstLimit } : {}),
      ...(props.api?.accessLog !== undefined ? { accessLog: props.api.accessLog } : {}),
    });

    // The acknowledge links of messages lead to the API (the api function serves /ack/...).
    // The functions name the API, the API's routes the functions: separate resources, no cycle.
    for (const fn of [api.fn, ingest.fn]) fn.addEnvironment('HERALD_PUBLIC_URL', props.publicUrl ?? http.api.apiEndpoint);

    if (props.snsSubscriptions?.length) {
      new InboundTopics(this, 'InboundTopics', { apiEndpoint: http.api.apiEndpoint, subscriptions: props.snsSubscriptions });
    }

    // The scheduled function: the sweeper (queues what should be on a queue and is not,
    // disables failing endpoints) and the heartbeat watch; and the timer queue's consumer.
    const sweeper = new HeraldFunction(this, 'SweeperFunction', {
      name: 'sweeper',
      timeout: Duration.minutes(2),
      environment: { ...common, ...queueUrls },
      logRetentionDays: props.logRetentionDays,
      ...(props.logLevel ? { logLevel: props.logLevel } : {}),
    });
    sweeper.fn.addToRolePolicy(tableItems());
    sweeper.fn.addToRolePolicy(tableKeyUse());
    // Data migrations (shared/aws/dynamo-migrations.ts): a filtered scan of the table, once per migration.
    sweeper.fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: TABLE_ACCESS.service.sweeperActions.map((a) => `dynamodb:${a}`), resources: [table.tableArn] }),
    );
    for (const c of FAMILY_NAMES) queues[c].queue.grantSendMessages(sweeper.fn);
    // The timers as they come due: sent again when due past SQS's 900 s, else done; a failed one comes back alone.
    sweeper.fn.addToRolePolicy(setTimers());
    sweeper.fn.addEventSource(
      new SqsEventSource(timerQueue.queue, {
        batchSize: TIMERS.batchSize,
        maxConcurrency: TIMERS.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    new events.Rule(this, 'SweeperSchedule', {
      description: 'Herald: queue overdue deliveries, disable failing endpoints, watch heartbeats',
      schedule: events.Schedule.rate(Duration.minutes(SWEEPER.everyMinutes)),
      targets: [new targets.LambdaFunction(sweeper.fn, { retryAttempts: 0 })],
    });

    const emailDomain = props.emailFrom.split('@')[1] ?? props.emailFrom;
    const providerStatements: Partial<Record<Family, iam.PolicyStatement[]>> = {
      email: [
        new iam.PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: emailDomain }),
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: props.emailFrom }),
          ],
        }),
      ],
      sms: [
        new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }),
        // An SMS publish names a phone number and no ARN; denying every ARN of SNS (topics, push endpoints) leaves only that.
        new iam.PolicyStatement({
          effect: iam.Effect.DENY,
          actions: ['sns:Publish'],
          resources: [this.formatArn({ service: 'sns', region: '*', account: '*', resource: '*' })],
        }),
      ],
    };
    const families = {} as Record<Family, { fn: ChannelFunction; queue: (typeof queues)[Family] }>;
    for (const family of FAMILY_NAMES) {
      const fn = new ChannelFunction(this, `${family[0]?.toUpperCase()}${family.slice(1)}Channel`, {
        family,
        queue: queues[family],
        table,
        environment: {
          ...common,
          [queueUrlVariable(family)]: queues[family].queue.queueUrl,
          [dlqUrlVariable(family)]: queues[family].dlq.queueUrl,
          // A delivery that ends failed or dead sets its failover's timer (QUEUE_ACCESS.channel.timers).
          [TIMERS.queueUrlVariable]: timerQueue.queue.queueUrl,
          ...(NEEDS_PROVIDERS.includes(family) ? { HERALD_PROVIDERS_SECRET_ARN: providers.secretArn } : {}),
        },
        logRetentionDays: props.logRetentionDays,
        ...(props.logLevel ? { logLevel: props.logLevel } : {}),
        providerStatements: [...(providerStatements[family] ?? []), tableKeyUse(), setTimers()],
      });
      families[family] = { fn, queue: queues[family] };
      if (NEEDS_PROVIDERS.includes(family)) providers.grantRead(fn.function.fn);
      if (family === 'sms') {
        Validations.of(fn).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'SNS Publish to a phone number has no resource ARN to scope to; a Deny on every SNS ARN keeps topics and endpoints out.',
        });
      }
      new CfnOutput(this, `${family}DlqName`, { value: queues[family].dlq.queueName, description: `the ${family} dead-letter queue` });
    }
    // Every alarm of this stack, those above and any added later, goes to the topic (an Aspect).
    const alarmTopic = new AlarmTopic(this, 'Alarms', props.alarmEmail ? { email: props.alarmEmail } : {});
    new ServiceAlarms(this, 'ServiceAlarms', { api: http.api, sweeper: sweeper.fn, timerDlq: timerQueue.dlq });
    new Observability(this, 'Observability', {
      families,
      api: http.api,
      ingest: ingest.fn,
      alarms: this.node.findAll().filter((c): c is cloudwatch.Alarm => c instanceof cloudwatch.Alarm),
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarmTopic.topic.topicArn,
      description: 'Every alarm and its return to OK is published here: subscribe a pager or a chat to it',
    });
    new CfnOutput(this, 'ProvidersSecret', {
      value: providers.secretName,
      description:
        'aws secretsmanager put-secret-value --secret-id <this> --secret-string file://providers.json to set the provider accounts',
    });
    new CfnOutput(this, 'AdminKeySecret', {
      value: adminKey.secretName,
      description: 'aws secretsmanager get-secret-value --secret-id <this> to read the admin key',
    });
  }
}
