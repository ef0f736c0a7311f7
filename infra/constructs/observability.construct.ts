import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CHANNEL_NAMES, type ChannelName, type Family } from '../../shared/core/types.js';
import type { ChannelFunction } from './channel-function.construct.js';
import type { ChannelQueue } from './channel-queue.construct.js';

export interface ObservabilityProps {
  readonly families: Record<Family, { fn: ChannelFunction; queue: ChannelQueue }>;
}

/**
 * What an operator looks at: a dashboard of the delivery metrics per channel (attempts,
 * sent, failed, retried, dead, latency) and the queues, and saved Logs Insights queries
 * over the delivery log.
 */
export class Observability extends Construct {
  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const families = Object.entries(props.families) as [Family, ObservabilityProps['families'][Family]][];
    const metric = (name: string, channel: ChannelName, statistic = 'Sum') =>
      new cloudwatch.Metric({
        namespace: 'Herald',
        metricName: name,
        dimensionsMap: { service: 'herald', channel },
        statistic,
        period: Duration.minutes(5),
        label: channel,
      });

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: 'Herald' });
    const perChannel = (title: string, name: string, statistic?: string) =>
      new cloudwatch.GraphWidget({ title, width: 8, left: CHANNEL_NAMES.map((c) => metric(name, c, statistic)) });
    dashboard.addWidgets(perChannel('Attempts', 'Attempts'), perChannel('Sent', 'Sent'), perChannel('Retried', 'Retried'));
    dashboard.addWidgets(
      perChannel('Failed (permanent)', 'Failed'),
      perChannel('Dead (attempts used up)', 'Dead'),
      perChannel('Latency p95 (ms)', 'DeliveryLatency', 'p95'),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Waiting in the DLQs',
        width: 12,
        left: families.map(([f, x]) => x.queue.dlq.metricApproximateNumberOfMessagesVisible({ label: f })),
      }),
      new cloudwatch.GraphWidget({
        title: 'Age of the oldest queued delivery (s)',
        width: 12,
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
