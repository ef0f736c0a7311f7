import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CHANNEL_NAMES, type Family } from '../../shared/core/types.js';
import type { ChannelFunction } from './channel-function.construct.js';
import type { ChannelQueue } from './channel-queue.construct.js';
import { heraldMetric } from './service-alarms.construct.js';

export interface ObservabilityProps {
  readonly families: Record<Family, { fn: ChannelFunction; queue: ChannelQueue }>;
  readonly api: apigw.HttpApi;
  /** The ingest function: its invocations are the requests to the ingest routes. */
  readonly ingest: IFunction;
  /** The alarms whose state the dashboard shows. */
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * What an operator looks at: a dashboard of the alarms' state, the ingest rate, the delivery
 * metrics per outcome and channel (attempts, sent, failed, retried, dead, latency p50 and
 * p95) and the queues (age, DLQ depth) per family, and saved Logs Insights queries over the
 * delivery log.
 */
export class Observability extends Construct {
  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const families = Object.entries(props.families) as [Family, ObservabilityProps['families'][Family]][];
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: 'Herald' });
    const fiveMinutes = Duration.minutes(5);
    dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 24, alarms: props.alarms }));
    // The API's request count is for the whole API (per-route metrics cost extra on HTTP APIs);
    // the ingest function's invocations are the requests to the ingest routes alone; a batch
    // is one request and up to 100 events, accepted or refused (every reason summed).
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Ingest rate (per 5 minutes)',
        width: 12,
        left: [
          props.api.metricCount({ period: fiveMinutes, statistic: 'Sum', label: 'whole API (requests)' }),
          props.ingest.metricInvocations({ period: fiveMinutes, statistic: 'Sum', label: 'ingest routes (requests)' }),
          heraldMetric('EventsAccepted').with({ label: 'events accepted' }),
          new cloudwatch.MathExpression({
            label: 'events refused',
            expression: `SUM(SEARCH('{Herald,reason,service} MetricName="EventsRefused"', 'Sum', 300))`,
            period: fiveMinutes,
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Deliveries by outcome (all channels)',
        width: 12,
        left: (['Sent', 'Retried', 'Failed', 'Dead'] as const).map(
          (name) =>
            new cloudwatch.MathExpression({
              label: name,
              expression: `SUM(SEARCH('{Herald,channel,service} MetricName="${name}"', 'Sum', 300))`,
              period: fiveMinutes,
            }),
        ),
      }),
    );
    const perChannel = (title: string, name: string, statistic?: string) =>
      new cloudwatch.GraphWidget({
        title,
        width: 8,
        left: CHANNEL_NAMES.map((channel) => heraldMetric(name, { channel, ...(statistic ? { statistic } : {}) })),
      });
    dashboard.addWidgets(perChannel('Attempts', 'Attempts'), perChannel('Sent', 'Sent'), perChannel('Retried', 'Retried'));
    dashboard.addWidgets(
      perChannel('Failed (permanent)', 'Failed'),
      perChannel('Dead (attempts used up)', 'Dead'),
      perChannel('Attempt latency p50 (ms)', 'DeliveryLatency', 'p50'),
    );
    dashboard.addWidgets(
      perChannel('Attempt latency p95 (ms)', 'DeliveryLatency', 'p95'),
      new cloudwatch.GraphWidget({
        title: 'Waiting in the DLQs',
        width: 8,
        left: families.map(([f, x]) => x.queue.dlq.metricApproximateNumberOfMessagesVisible({ label: f })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Age of the oldest queued delivery (s)',
        width: 8,
        left: families.map(([f, x]) => x.queue.queue.metricApproximateAgeOfOldestMessage({ label: f })),
      }),
    );

    const logGroups = families.map(([, x]) => x.fn.function.logGroup);
    const fields = 'fields @timestamp, appId, eventId, notifierId, deliveryId, channel, attempt, outcome, statusCode, latencyMs, error';
    new logs.QueryDefinition(this, 'FailedOfApp', {
      queryDefinitionName: 'Herald/Failed deliveries of an app',
      logGroups,
      queryString: new logs.QueryString({
        fields: [fields.replace('fields ', '')],
        filterStatements: ['message = "delivery attempt"', 'outcome != "sent"', 'appId = "REPLACE-WITH-APP-ID"'],
        sort: '@timestamp desc',
        limit: 200,
      }),
    });
    new logs.QueryDefinition(this, 'AllOfEvent', {
      queryDefinitionName: 'Herald/All deliveries of an event',
      logGroups,
      queryString: new logs.QueryString({
        fields: [fields.replace('fields ', '')],
        filterStatements: ['eventId = "REPLACE-WITH-EVENT-ID"'],
        sort: '@timestamp asc',
        limit: 500,
      }),
    });
  }
}
