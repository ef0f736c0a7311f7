import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { FAMILY_NAMES } from '../../shared/core/types.js';
import { DELIVERY, TIMERS, VISIBILITY_TIMEOUT_SECONDS } from '../../shared/resources.js';

const FAMILIES = FAMILY_NAMES.length; // email, sms, slack, webhook, chat, push, incident
/** The channel functions' logical id prefixes: EmailChannel, SmsChannel... */
const CHANNEL_FUNCTIONS = FAMILY_NAMES.map((f) => `${f[0]?.toUpperCase()}${f.slice(1)}Channel`);

let data: Template;
let service: Template;
let app: App;

beforeAll(() => {
  // No bundling and no built-in template validation: a stack test in seconds (TOOLCHAIN.md).
  app = new App({
    builtinCloudFormationValidation: false,
    context: {
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      'herald:emailFrom': 'alerts@mail.example.com',
    },
  });
  const stacks = buildApp(app);
  // cdk-nag runs at synth and throws on any unacknowledged AwsSolutions finding.
  app.synth();
  data = Template.fromStack(stacks.data);
  service = Template.fromStack(stacks.service);
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const policiesOf = (template: Template, roleLogicalIdPrefix: string): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => String(r.Ref).startsWith(roleLogicalIdPrefix)))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();

describe('data stack', () => {
  it('keeps one on-demand table with point-in-time recovery and encryption, retained', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', 1);
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    });
  });

  it('gives each channel family and the timers a queue and a DLQ: encrypted, TLS only, redriven after the backstop count, retained', () => {
    expect(FAMILIES).toBe(7);
    data.resourceCountIs('AWS::SQS::Queue', 2 * (FAMILIES + 1));
    const queues = Object.values(data.findResources('AWS::SQS::Queue')) as any[];
    for (const q of queues) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    for (const q of queues) expect(q.DeletionPolicy).toBe('Retain');
    const main = queues.filter((q) => q.Properties.RedrivePolicy);
    expect(main).toHaveLength(FAMILIES + 1);
    for (const q of main) {
      expect(q.Properties.RedrivePolicy.maxReceiveCount).toBe(DELIVERY.maxReceiveCount);
      expect(q.Properties.VisibilityTimeout).toBe(VISIBILITY_TIMEOUT_SECONDS);
    }
    const timers = Object.entries(data.findResources('AWS::SQS::Queue')).filter(([id]) => id.startsWith('TimerQueue'));
    expect(timers.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['TimerQueue', 'TimerQueueDlq']);
    const denials = Object.values(data.findResources('AWS::SQS::QueuePolicy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(denials.filter((s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toHaveLength(
      2 * (FAMILIES + 1),
    );
  });

  it('makes the admin key a generated secret, and keeps the provider settings in a secret of their own, retained', () => {
    data.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ PasswordLength: 48 }) });
    data.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ SecretString: '{}' }) });
  });
});

describe('service stack', () => {
  it('runs the api, ingest, the sweeper, the console and a function per channel family on Node.js 22, ARM64, each with its own log group and retention', () => {
    service.resourceCountIs('AWS::Lambda::Function', 4 + FAMILIES);
    service.allResourcesProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    service.resourceCountIs('AWS::Logs::LogGroup', 5 + FAMILIES); // the functions and the API's access log
    service.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('feeds each channel function from its queue in batches, reporting item failures, with a bounded concurrency', () => {
    service.resourceCountIs('AWS::Lambda::EventSourceMapping', FAMILIES + 1);
    service.allResourcesProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const channels = Object.values(service.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (m: any) => !JSON.stringify(m.Properties.EventSourceArn).includes('TimerQueue'),
    );
    expect(channels.map((m: any) => m.Properties.ScalingConfig)).toEqual(
      channels.map(() => ({ MaximumConcurrency: DELIVERY.maxConcurrency })),
    );
  });

  it('feeds the sweeper from the timer queue, reporting item failures, with a bounded concurrency', () => {
    const [timers, ...more] = Object.values(service.findResources('AWS::Lambda::EventSourceMapping')).filter((m: any) =>
      JSON.stringify(m.Properties.EventSourceArn).includes('TimerQueue'),
    ) as any[];
    expect(more).toEqual([]);
    expect(timers.Properties).toMatchObject({
      BatchSize: TIMERS.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: TIMERS.maxConcurrency },
      FunctionName: { Ref: expect.stringMatching(/^SweeperFunction/) },
    });
  });

  it('lets the api, ingest, the sweeper and the channel functions (a failover) send to the timer queue (SendMessage only), named by HERALD_TIMER_QUEUE_URL', () => {
    const functions = service.findResources('AWS::Lambda::Function');
    const onTimerQueue = (statements: Statement[]) => statements.filter((s) => JSON.stringify(s.Resource).includes('TimerQueue'));
    for (const prefix of ['ApiFunction', 'IngestFunction', 'SweeperFunction', ...CHANNEL_FUNCTIONS]) {
      const sends = onTimerQueue(policiesOf(service, prefix)).filter((s) => !actionsOf([s]).includes('sqs:ReceiveMessage'));
      expect(
        sends.map((s) => s.Action),
        prefix,
      ).toEqual(['sqs:SendMessage']);
      const [fn] = Object.entries(functions)
        .filter(([id]) => id.startsWith(prefix))
        .map(([, f]) => f as any);
      expect(JSON.stringify(fn.Properties.Environment.Variables[TIMERS.queueUrlVariable]), prefix).toContain('TimerQueue');
    }
  });

  it('gives each queue a visibility timeout of at least six times its function timeout', () => {
    const channelFns = Object.values(service.findResources('AWS::Lambda::Function')).filter(
      (f: any) => f.Properties.Timeout === DELIVERY.functionTimeoutSeconds,
    );
    expect(channelFns).toHaveLength(FAMILIES);
    expect(VISIBILITY_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(6 * DELIVERY.functionTimeoutSeconds);
  });

  it("alarms on each DLQ (the timer queue's too) and on the age of each family queue", () => {
    const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm')) as any[];
    expect(
      alarms.filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' && a.Properties.Threshold === 1),
    ).toHaveLength(FAMILIES + 1);
    expect(alarms.filter((a) => a.Properties.MetricName === 'ApproximateAgeOfOldestMessage')).toHaveLength(FAMILIES);
  });

  it('puts an HTTP API with stage throttling in front of the api function', () => {
    service.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    service.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('writes the access log to an Infrequent Access group (half the ingestion price), keeping the group it replaces', () => {
    const [stage] = Object.values(service.findResources('AWS::ApiGatewayV2::Stage')) as any[];
    const [groupId] = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'];
    const group = service.findResources('AWS::Logs::LogGroup')[groupId] as any;
    expect(group.Properties).toMatchObject({ LogGroupClass: 'INFREQUENT_ACCESS', RetentionInDays: 30 });
    expect(group.UpdateReplacePolicy).toBe('Retain');
    expect(group.DeletionPolicy).toBe('Delete');
  });

  it("sends the ingest key's routes to the ingest function, which may write the table and the queues but not read the providers", () => {
    const routes = Object.values(service.findResources('AWS::ApiGatewayV2::Route')) as any[];
    const targetOf = (key: string) => JSON.stringify(routes.find((r) => r.Properties.RouteKey === key)?.Properties.Target);
    for (const key of ['POST /v1/events', 'POST /v1/heartbeats', 'GET /v1/event-types', 'GET /v1/whoami'])
      expect(targetOf(key)).toContain('Ingest');
    // Everything else (the admin API) falls through to the api function.
    expect(routes.map((r) => r.Properties.RouteKey)).not.toContain('GET /v1/apps');
    const statements = policiesOf(service, 'IngestFunction');
    expect(actionsOf(statements)).toEqual(
      expect.arrayContaining(['dynamodb:BatchWriteItem', 'sqs:SendMessage', 'secretsmanager:GetSecretValue']),
    );
    service.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ HERALD_ADMIN_KEY_SECRET_ARN: Match.anyValue() }) },
      Description: 'Herald: apps post events and heartbeats',
    });
    const ingest = Object.values(service.findResources('AWS::Lambda::Function')).find((f: any) =>
      f.Properties.Description?.includes('post events'),
    ) as any;
    expect(ingest.Properties.Environment.Variables.HERALD_PROVIDERS_SECRET_ARN).toBeUndefined();
  });

  it("writes lean logs: JSON at INFO, and Lambda's own lines only from WARN (no START, END and REPORT)", () => {
    service.allResourcesProperties('AWS::Lambda::Function', {
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' }),
    });
  });

  it('serves the console from a function of its own, on GET /console and below, and names its URL', () => {
    const routes = Object.values(service.findResources('AWS::ApiGatewayV2::Route')).map((r: any) => r.Properties.RouteKey);
    expect(routes).toEqual(expect.arrayContaining(['GET /console', 'GET /console/{proxy+}']));
    expect(service.findOutputs('ConsoleUrl')['ConsoleUrl']?.Value).toMatchObject({
      'Fn::Join': ['', expect.arrayContaining(['/console/'])],
    });
    // It may read nothing: no table, no queue, no secret.
    expect(actionsOf(policiesOf(service, 'ConsoleFunctionRole'))).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('scopes each channel function to event records, their markers and notifier items, its own queues and its own provider', () => {
    // Every channel function paces its destinations (buckets, coalesced notifications): issue 18.
    const PACING = ['PACE#*', 'COAL#*', 'COALN#*'] as const;
    for (const [prefix, provider, readsProviders, leadingKeys] of [
      ['EmailChannel', ['ses:SendEmail'], false, ['EVT#*', 'EVP#*', 'ATTN#*', 'DEAD#*', 'APP#*', ...PACING]],
      ['SmsChannel', ['sns:Publish'], true, ['EVT#*', 'EVP#*', 'ATTN#*', 'DEAD#*', 'APP#*', ...PACING]],
      ['SlackChannel', [], false, ['EVT#*', 'EVP#*', 'ATTN#*', 'DEAD#*', 'APP#*', ...PACING]],
      ['WebhookChannel', [], false, ['EVT#*', 'EVP#*', 'ATTN#*', 'DEAD#*', 'APP#*', ...PACING]],
      ['ChatChannel', [], true, ['EVT#*', 'EVP#*', 'ATTN#*', 'DEAD#*', 'APP#*', ...PACING]],
      ['PushChannel', [], true, ['EVT#*', 'EVP#*', 'ATTN#*', 'DEAD#*', 'APP#*', ...PACING]],
      ['IncidentChannel', [], true, ['EVT#*', 'EVP#*', 'ATTN#*', 'DEAD#*', 'APP#*', ...PACING, 'INC#*']],
    ] as const) {
      const statements = policiesOf(service, prefix);
      const actions = actionsOf(statements);
      expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
      const allowed = actionsOf(statements.filter((s) => s.Effect === 'Allow'));
      expect(allowed.filter((a) => a.startsWith('ses:') || a.startsWith('sns:'))).toEqual([...provider]);
      expect([...new Set(actions.filter((a) => a.startsWith('sqs:')))].sort()).toEqual([
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'sqs:SendMessage', // to its own queue and DLQ, and the timer queue
      ]);
      // Sending to its own queue and DLQ, and the timer queue (a failover's timer), to no other.
      const sends = statements.filter((s) => actionsOf([s]).includes('sqs:SendMessage')).map((s) => JSON.stringify(s.Resource));
      const family = prefix.replace('Channel', '');
      expect(sends).toHaveLength(3);
      expect(sends).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`${family}Queue[0-9A-F]{8}Arn`)),
          expect.stringContaining(`${family}QueueDlq`),
          expect.stringContaining('TimerQueue'),
        ]),
      );
      const items = statements.find((s) => Array.isArray(s.Action) && s.Action.includes('dynamodb:UpdateItem')) as any;
      expect(items.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...leadingKeys] } });
      // Only the families that send through provider accounts may read the providers secret, and only it.
      const secrets = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('secretsmanager:')));
      expect(secrets.length > 0, prefix).toBe(readsProviders);
      for (const s of secrets) expect(JSON.stringify(s.Resource), prefix).toContain('Providers');
    }
  });

  it('lets the SMS function publish to phone numbers only: every SNS ARN (topics, push endpoints) is denied', () => {
    const statements = policiesOf(service, 'SmsChannel').filter((s) => actionsOf([s]).includes('sns:Publish'));
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] },
      }),
    );
  });

  it('lets the api function read and write the table, send to the queues and read the admin key, nothing more', () => {
    const actions = actionsOf(policiesOf(service, 'ApiFunction'));
    expect(actions.some((a) => a.startsWith('ses:') || a.startsWith('sns:') || a === 'dynamodb:Scan' || a === 'dynamodb:DeleteTable')).toBe(
      false,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:Query',
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'sqs:SendMessage',
        'secretsmanager:GetSecretValue',
      ]),
    );
  });

  it('gives the SES permission for the configured sender only', () => {
    const ses = policiesOf(service, 'EmailChannel').find((s) => s.Action === 'ses:SendEmail');
    expect(JSON.stringify(ses?.Resource)).toContain('identity/mail.example.com');
    expect(JSON.stringify(ses?.Resource)).not.toContain('identity/*');
  });
});

describe('encryption', () => {
  it('encrypts the table with a rotating key the stack owns, which every function may use for the table only', () => {
    data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    for (const prefix of [
      'ApiFunction',
      'IngestFunction',
      'SweeperFunction',
      'EmailChannel',
      'SmsChannel',
      'SlackChannel',
      'WebhookChannel',
      'ChatChannel',
      'PushChannel',
      'IncidentChannel',
    ]) {
      const kms = policiesOf(service, prefix).filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')));
      expect(actionsOf(kms), prefix).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
      expect(JSON.stringify(kms[0]?.Resource), prefix).toContain('TableKey');
    }
  });
});

describe('sweeper and observability', () => {
  it('runs the sweeper every minute, able to read and write the table, send to the queues and consume the timer queue only', () => {
    service.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    const statements = policiesOf(service, 'SweeperFunction');
    const actions = actionsOf(statements);
    expect([...new Set(actions.filter((a) => a.startsWith('sqs:')))]).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
      'sqs:SendMessage',
    ]);
    // Receiving and deleting: the timer queue's only.
    for (const s of statements.filter((s) => actionsOf([s]).includes('sqs:ReceiveMessage')))
      expect(JSON.stringify(s.Resource)).toContain('TimerQueue');
    expect(actions.some((a) => a.startsWith('ses:') || a.startsWith('sns:'))).toBe(false);
    // It scans the table for data migrations, and nothing else: one statement, the table only (no index).
    const scans = statements.filter((s) => actionsOf([s]).includes('dynamodb:Scan'));
    expect(scans.map((s) => s.Action)).toEqual(['dynamodb:Scan']);
    expect(JSON.stringify(scans[0]?.Resource)).not.toContain('/index/');
    expect(actionsOf(policiesOf(service, 'ApiFunction'))).not.toContain('dynamodb:Scan');
  });

  it('has a dashboard and saved Logs Insights queries over the delivery log', () => {
    service.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const queries = Object.values(service.findResources('AWS::Logs::QueryDefinition')) as any[];
    expect(queries.map((q) => q.Properties.Name).sort()).toEqual([
      'Herald/All deliveries of an event',
      'Herald/Failed deliveries of an app',
    ]);
    for (const q of queries) expect(q.Properties.LogGroupNames).toHaveLength(FAMILIES);
  });
});

describe('cdk-nag', () => {
  it('gives a reason for every acknowledged finding', () => {
    const acks = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data as any));
    const entries = acks.flatMap((a) => (Array.isArray(a) ? a : Object.values(a)));
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(String(entry.reason ?? entry).length).toBeGreaterThan(40);
  });
});

describe('message settings', () => {
  it('hands the deploy-time language, template overrides and console URL to the functions', () => {
    const withMessages = new App({
      builtinCloudFormationValidation: false,
      context: {
        'aws:cdk:bundling-stacks': [],
        '@aws-cdk/core:defaultCrossStackReferences': 'strong',
        'herald:locale': 'de',
        'herald:templates': { 'email.subject': '[{{ app.name }}] {{ event.headline }}' },
        'herald:consoleUrl': 'https://console.example.com',
      },
    });
    const template = Template.fromStack(buildApp(withMessages).service);
    // Every function that renders messages (the console's only serves its files).
    const fns = (Object.values(template.findResources('AWS::Lambda::Function')) as any[]).filter(
      (f) => f.Properties.Environment.Variables.HERALD_TABLE,
    );
    expect(fns).toHaveLength(3 + FAMILY_NAMES.length);
    for (const fn of fns) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        HERALD_LOCALE: 'de',
        HERALD_TEMPLATES: '{"email.subject":"[{{ app.name }}] {{ event.headline }}"}',
        HERALD_CONSOLE_URL: 'https://console.example.com',
      });
    }
  });

  it('stops the synth at a template override that does not parse, naming it', () => {
    const broken = new App({
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [], 'herald:templates': { 'app_deployed/sms.text': '{{ app.name ' } },
    });
    expect(() => buildApp(broken)).toThrow(/template override "app_deployed\/sms.text" in herald:templates does not parse/);
  });
});

describe('the HTTP API from context', () => {
  const withContext = (context: Record<string, unknown>) => {
    const custom = new App({
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:defaultCrossStackReferences': 'strong', ...context },
    });
    const stacks = buildApp(custom);
    custom.synth(); // cdk-nag: no unacknowledged finding either way
    return Template.fromStack(stacks.service);
  };

  it('throttles at the rate and burst of herald:apiRateLimit and herald:apiBurstLimit (as -c gives them: strings)', () => {
    withContext({ 'herald:apiRateLimit': '2000', 'herald:apiBurstLimit': 4000 }).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 2000, ThrottlingBurstLimit: 4000 },
    });
  });

  it('writes no access log with herald:accessLog=false', () => {
    const template = withContext({ 'herald:accessLog': 'false' });
    const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage')) as any[];
    expect(stage.Properties.AccessLogSettings).toBeUndefined();
    template.resourceCountIs('AWS::Logs::LogGroup', 4 + FAMILIES); // the functions' only
  });

  it('stops the synth at a herald:accessLog that is neither true nor false, naming it (0 is not off)', () => {
    expect(() => withContext({ 'herald:accessLog': '0' })).toThrow(/herald:accessLog must be true or false/);
    const [stage] = Object.values(withContext({ 'herald:accessLog': false }).findResources('AWS::ApiGatewayV2::Stage')) as any[];
    expect(stage.Properties.AccessLogSettings).toBeUndefined();
  });

  it('stops the synth at a throttle that is not a positive number, naming it', () => {
    expect(() => withContext({ 'herald:apiRateLimit': 'fast' })).toThrow(/herald:apiRateLimit must be a positive number/);
  });

  it('gives the ingest function a URL of its own (no auth: Herald checks keys) with herald:ingestUrl=true, and none by default', () => {
    const template = withContext({ 'herald:ingestUrl': 'true' });
    const [url] = Object.values(template.findResources('AWS::Lambda::Url')) as any[];
    expect(url.Properties.AuthType).toBe('NONE');
    const [ingestId] = Object.entries(template.findResources('AWS::Lambda::Function')).find(
      ([, f]: [string, any]) => f.Properties.Description === 'Herald: apps post events and heartbeats',
    ) as [string, unknown];
    expect(url.Properties.TargetFunctionArn).toEqual({ 'Fn::GetAtt': [ingestId, 'Arn'] });
    // A function URL made since October 2025 answers 403 to everyone unless the function's policy
    // grants both InvokeFunctionUrl and InvokeFunction (the latter only through the URL).
    const grants = (Object.values(template.findResources('AWS::Lambda::Permission')) as any[])
      .map((p) => p.Properties)
      .filter((p) => p.Principal === '*' && JSON.stringify(p.FunctionName).includes(ingestId));
    expect(grants.map((p) => [p.Action, p.FunctionUrlAuthType ?? null, p.InvokedViaFunctionUrl ?? null]).sort()).toEqual([
      ['lambda:InvokeFunction', null, true],
      ['lambda:InvokeFunctionUrl', 'NONE', null],
    ]);
    expect(Object.keys(template.findOutputs('IngestUrl'))).toHaveLength(1);
    withContext({}).resourceCountIs('AWS::Lambda::Url', 0);
  });

  it('runs every function at the application log level of herald:logLevel, and refuses one that would drop the metrics', () => {
    const functions = Object.values(withContext({ 'herald:logLevel': 'debug' }).findResources('AWS::Lambda::Function')) as any[];
    expect(functions.map((f) => f.Properties.LoggingConfig.ApplicationLogLevel)).toEqual(functions.map(() => 'DEBUG'));
    expect(() => withContext({ 'herald:logLevel': 'WARN' })).toThrow(/herald:logLevel must be one of TRACE, DEBUG, INFO.*metrics/);
  });
});

describe('retention from context', () => {
  const functionsOf = (context: Record<string, unknown>) => {
    const custom = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [], ...context } });
    const stacks = buildApp(custom);
    return { service: Template.fromStack(stacks.service), data: Template.fromStack(stacks.data) };
  };
  const retentionOf = (template: Template) =>
    Object.values(template.findResources('AWS::Lambda::Function')).map(
      (f: any) => f.Properties.Environment?.Variables?.HERALD_RETENTION_DAYS as string | undefined,
    );

  it("keeps events for herald:retentionDays in every function, deleted by the table's TTL on expiresAt", () => {
    const { service, data } = functionsOf({ 'herald:retentionDays': '7' });
    expect(new Set(retentionOf(service).filter((v) => v !== undefined))).toEqual(new Set(['7']));
    data.hasResourceProperties('AWS::DynamoDB::Table', { TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
  });

  it("leaves Herald's default (30 days) without it, and stops the synth at a value that is not a number of days", () => {
    expect(retentionOf(functionsOf({}).service).every((v) => v === undefined)).toBe(true);
    expect(() => functionsOf({ 'herald:retentionDays': '2.5' })).toThrow(/herald:retentionDays must be a whole number of days/);
    expect(() => functionsOf({ 'herald:retentionDays': 'forever' })).toThrow(/herald:retentionDays must be a whole number of days/);
  });
});
