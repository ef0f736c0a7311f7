import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { BUNDLING, hasLazyModules, LAZY_DEFINE, lazyModulesCommands, packagesBesideCommands } from '../bundling.js';

export interface HeraldFunctionProps {
  /** The folder under functions/ whose handler.ts this function runs. */
  readonly name: string;
  /** What it does, as the Lambda console shows it. */
  readonly description?: string;
  readonly environment?: Record<string, string>;
  /** Default 10 s. */
  readonly timeout?: Duration;
  /** Default 512 MB: more memory is also more CPU for TLS and JSON. */
  readonly memorySize?: number;
  /** Days to keep the logs. Default 30. */
  readonly logRetentionDays?: number;
  /** Herald's lines from this level (Lambda's application log level). Default INFO. */
  readonly logLevel?: FunctionLogLevel;
  /** Shell commands run after bundling, given the bundle's folder (files the function reads beside its code). */
  readonly afterBundling?: (outputDir: string) => string[];
}

/**
 * The application log levels a function may run at. Not WARN or above: Lambda gives a line
 * without a level (an EMF document, that is every metric) INFO, and would drop them.
 */
export const FUNCTION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO'] as const;
export type FunctionLogLevel = (typeof FUNCTION_LOG_LEVELS)[number];

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Every Herald function is built here, with the same defaults: Node.js 22 on ARM64, one
 * minified ESM bundle with the AWS SDK inside (faster cold starts than the runtime's
 * copy), its source map read only when a stack is printed (shared/stack-traces.ts), a log
 * group with a set retention, JSON logs at INFO without Lambda's START/END/REPORT lines,
 * a role of its own that can write only to that log group until the caller grants more,
 * and alarms on its errors and throttles.
 */
export class HeraldFunction extends Construct {
  /** The folder under functions/ it runs. */
  readonly name: string;
  /** The shell commands run after bundling (files the function reads beside its code), given the bundle's folder. */
  readonly afterBundling?: (outputDir: string) => string[];
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly errorsAlarm: cloudwatch.Alarm;
  readonly throttlesAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: HeraldFunctionProps) {
    super(scope, id);
    this.name = props.name;
    // What else goes beside the bundle: the function's lazy modules (infra/bundling.ts), then its own files.
    const lazyModules = hasLazyModules(props.name);
    if (props.afterBundling || lazyModules)
      this.afterBundling = (out) => [...lazyModulesCommands(props.name, root, out), ...(props.afterBundling?.(out) ?? [])];
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: retentionOf(props.logRetentionDays ?? 30),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:*`],
      }),
    );
    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${root}functions/${props.name}/handler.ts`,
      handler: 'handler',
      ...(props.description ? { description: props.description } : {}),
      projectRoot: root,
      depsLockFilePath: `${root}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      // Lean logs (each line is billed): Lambda's own lines only from WARN, so that no START,
      // END and REPORT lines are written (advanced logging controls). Herald's from INFO:
      // failed attempts, warnings, errors (a sent attempt is DEBUG: the delivery log has it).
      // Powertools' logger takes this level whatever HERALD_LOG_LEVEL says.
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[props.logLevel ?? 'INFO'],
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.DISABLED,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'herald',
        POWERTOOLS_METRICS_NAMESPACE: 'Herald',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourceMap,
        sourceMapMode: SourceMapMode.EXTERNAL,
        sourcesContent: BUNDLING.sourcesContent,
        externalModules: [...BUNDLING.external],
        mainFields: [...BUNDLING.mainFields],
        banner: BUNDLING.banner,
        ...(lazyModules ? { define: { ...LAZY_DEFINE } } : {}),
        // esbuild runs in the project's root: the aliases' paths are relative to it.
        esbuildArgs: Object.fromEntries(Object.entries(BUNDLING.alias).map(([from, to]) => [`--alias:${from}`, to])),
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_: string, out: string) => [
            ...packagesBesideCommands(props.name, root, out),
            ...(this.afterBundling?.(out) ?? []),
          ],
        },
      },
    });
    const logGroupId = Stack.of(this).resolve((this.logGroup.node.defaultChild as logs.CfnLogGroup).logicalId) as string;
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logGroupId}.Arn>:*]`,
      reason: "Writing logs means creating streams in the function's own log group; the wildcard covers that group's streams only.",
    });
    // Errors: an invocation that threw or timed out (the channel functions report a failed
    // delivery as a batch item failure, not an error; the api answers a bad request itself):
    // a bug or a dependency down, never a caller's mistake. One error in each of 2 of 3
    // periods of 5 minutes: a lone cold-start hiccup does not page, an error that keeps coming
    // does within 10 to 15 minutes (the sweeper, run every minute, fails up to 5 times a period).
    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: `Herald ${props.name}: the function fails (threw or timed out)`,
      metric: this.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Throttles: Lambda refused to run it (the account's concurrency is used up): the api and
    // ingest answer 503 and a scheduled sweep is lost. Any in 5 minutes: nothing in Herald is
    // throttled on purpose (the channel queues' concurrency caps hold messages without one).
    this.throttlesAlarm = new cloudwatch.Alarm(this, 'ThrottlesAlarm', {
      alarmDescription: `Herald ${props.name}: Lambda throttles the function (the account's concurrency is used up)`,
      metric: this.fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Herald targets nodejs22.x on purpose (its bundles are built for node22 and tested on Node 20 and 22); moving to a newer runtime is a tested change of its own.',
    });
  }
}

function retentionOf(days: number): logs.RetentionDays {
  const known = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  const fit = known.filter((d) => d > 0 && d >= days).sort((a, b) => a - b)[0];
  return (fit ?? logs.RetentionDays.ONE_YEAR) as logs.RetentionDays;
}
