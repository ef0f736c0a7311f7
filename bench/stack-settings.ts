import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { buildApp } from '../infra/app.js';
import { HeraldFunction } from '../infra/constructs/herald-function.js';

/** What the deployed stack sets that the bench's figures depend on, read from the CDK app itself. */
export interface FunctionSettings {
  /** The folder under functions/ it runs. */
  name: string;
  memoryMb: number;
  /** NODE_OPTIONS, as the stack sets it (none: shared/stack-traces.ts maps stacks without a flag). */
  nodeOptions: string;
  /** Its environment; what is known only at deploy (an ARN, a queue's URL) is a placeholder. */
  environment: Record<string, string>;
  logFormat: 'Text' | 'JSON';
  applicationLogLevel?: string;
  /** WARN or above: Lambda writes no START, END and REPORT lines. */
  systemLogLevel?: string;
  /** Shell commands that put files beside the bundle (the console's), given its folder. */
  afterBundling?: (outputDir: string) => string[];
}

export interface StackSettings {
  functions: FunctionSettings[];
  /** The access log line's format; undefined when the stage writes none. */
  accessLogFormat?: string;
  /** The class of the access log's group (Infrequent Access ingests at half the price). */
  accessLogClass?: 'STANDARD' | 'INFREQUENT_ACCESS';
  throttle: { rate?: number; burst?: number };
  /** CloudWatch alarms the stack makes (billed per alarm a month). */
  alarms: number;
}

/**
 * Builds the CDK app as `cdk synth` would (without bundling: a second, not a minute) and
 * reads each function's memory, flags and logging, and the HTTP API's access log and throttle.
 */
export function readStackSettings(): StackSettings {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const { service } = buildApp(app);
  const resolve = (v: unknown) => Stack.of(service).resolve(v) as any;
  const functions = service.node
    .findAll()
    .filter((c): c is HeraldFunction => c instanceof HeraldFunction)
    .map((f) => {
      const cfn = f.fn.node.defaultChild as CfnFunction;
      const logging = resolve(cfn.loggingConfig) ?? {};
      const variables = (resolve(cfn.environment)?.variables ?? {}) as Record<string, unknown>;
      return {
        name: f.name,
        memoryMb: Number(resolve(cfn.memorySize) ?? 128),
        nodeOptions: String(variables['NODE_OPTIONS'] ?? ''),
        environment: Object.fromEntries(
          Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : `https://bench.invalid/${k.toLowerCase()}`]),
        ),
        logFormat: logging.logFormat === 'JSON' ? ('JSON' as const) : ('Text' as const),
        ...(logging.applicationLogLevel ? { applicationLogLevel: String(logging.applicationLogLevel) } : {}),
        ...(logging.systemLogLevel ? { systemLogLevel: String(logging.systemLogLevel) } : {}),
        ...(f.afterBundling ? { afterBundling: f.afterBundling } : {}),
      };
    });
  const stage = service.node.findAll().find((c): c is apigw.CfnStage => c instanceof apigw.CfnStage);
  const access = resolve(stage?.accessLogSettings);
  const routes = resolve(stage?.defaultRouteSettings) ?? {};
  const accessGroup = service.node
    .findAll()
    .find(
      (c): c is logs.CfnLogGroup =>
        c instanceof logs.CfnLogGroup &&
        Stack.of(service).resolve(c.attrArn)['Fn::GetAtt']?.[0] === access?.destinationArn?.['Fn::GetAtt']?.[0],
    );
  return {
    functions,
    ...(access?.format ? { accessLogFormat: String(access.format) } : {}),
    ...(accessGroup ? { accessLogClass: accessGroup.logGroupClass === 'INFREQUENT_ACCESS' ? 'INFREQUENT_ACCESS' : 'STANDARD' } : {}),
    throttle: { rate: routes.throttlingRateLimit, burst: routes.throttlingBurstLimit },
    alarms: service.node.findAll().filter((c) => c instanceof cloudwatch.Alarm).length,
  };
}
