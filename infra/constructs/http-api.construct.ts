import { CfnDeletionPolicy, CfnOutput, type CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { INBOUND_ROUTES, INGEST_ROUTES } from '../../functions/api/ingest-scope.js';

export interface HeraldHttpApiProps {
  readonly handler: IFunction;
  /** The ingest function: the ingest key's routes (INGEST_ROUTES) and the inbound sources' (INBOUND_ROUTES) go to it. */
  readonly ingest?: IFunction;
  /** The console function: GET /console and below go to it (the console's files). */
  readonly console?: IFunction;
  /** Steady requests per second across the API. Default 500. */
  readonly rateLimit?: number;
  /** Burst. Default 1000. */
  readonly burstLimit?: number;
  /** One JSON line per request in a log group of its own (CloudWatch bills each line). Default true. */
  readonly accessLog?: boolean;
}

/**
 * The HTTP API in front of the functions: the ingest key's routes to the ingest function,
 * the console's files to the console function, every other route to the api function (the
 * functions authenticate), with stage throttling and, unless turned off, JSON access logs.
 */
export class HeraldHttpApi extends Construct {
  readonly api: apigw.HttpApi;

  constructor(scope: Construct, id: string, props: HeraldHttpApiProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Herald: post events, manage apps and notifiers',
      defaultIntegration: new HttpLambdaIntegration('Api', props.handler, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 }),
    });
    if (props.ingest) {
      const ingest = new HttpLambdaIntegration('Ingest', props.ingest, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 });
      for (const route of [...INGEST_ROUTES, ...INBOUND_ROUTES]) {
        const [method, path] = route.split(' ') as [apigw.HttpMethod, string];
        this.api.addRoutes({ path, methods: [method], integration: ingest });
      }
    }
    if (props.console) {
      const files = new HttpLambdaIntegration('Console', props.console, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 });
      for (const path of ['/console', '/console/{proxy+}'])
        this.api.addRoutes({ path, methods: [apigw.HttpMethod.GET, apigw.HttpMethod.HEAD], integration: files });
      new CfnOutput(scope, 'ConsoleUrl', {
        value: `${this.api.apiEndpoint}/console/`,
        description: "Herald's web console: sign in with the admin key",
      });
    }
    const stage = this.api.defaultStage?.node.defaultChild as apigw.CfnStage;
    stage.defaultRouteSettings = {
      throttlingRateLimit: props.rateLimit ?? 500,
      throttlingBurstLimit: props.burstLimit ?? 1000,
    };
    if (props.accessLog ?? true) this.logRequests(stage);
    else
      Validations.of(this.api.defaultStage!).acknowledge({
        id: 'AwsSolutions-APIG1',
        reason:
          "The operator turned the access log off (herald:accessLog): every request's line costs; the functions log each failed attempt, and the delivery log keeps every event and attempt.",
      });
    for (const route of this.api.node.findAll().filter((c) => c instanceof apigw.HttpRoute)) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          "Herald authenticates every /v1 route itself with hashed API keys (admin and per-app ingest keys); /health, /openapi.json and the console's static files (/console) are public on purpose.",
      });
    }
    new CfnOutput(scope, 'ApiUrl', { value: this.api.apiEndpoint, description: "Herald's API" });
  }

  private logRequests(stage: apigw.CfnStage): void {
    // Infrequent Access: half the ingestion price of a standard group, for lines read only when
    // something went wrong, with Logs Insights (which this class keeps; it has no Live Tail, no
    // metric filters, and nothing here uses them).
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
      logGroupClass: logs.LogGroupClass.INFREQUENT_ACCESS,
    });
    // A group's class cannot change: a stack deployed before this one gets a new group, and the
    // old one, with its month of lines, is kept (empty once they expire) rather than deleted.
    (accessLogs.node.defaultChild as CfnResource).cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        method: '$context.httpMethod',
        path: '$context.path',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
      }),
    };
  }
}
