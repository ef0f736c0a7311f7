import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FAMILIES, FAMILY_NAMES, type ChannelName } from '../../shared/core/types.js';

export interface ServiceAlarmsProps {
  readonly api: apigw.HttpApi;
  /** The scheduled function (runs every SWEEPER.everyMinutes). */
  readonly sweeper: lambda.IFunction;
  /** The timer queue's DLQ: timers that kept failing. */
  readonly timerDlq: sqs.IQueue;
}

/** A metric Herald publishes itself (namespace Herald, dimension service=herald, and channel when given). */
export const heraldMetric = (metricName: string, options: { channel?: ChannelName; statistic?: string; period?: Duration } = {}) =>
  new cloudwatch.Metric({
    namespace: 'Herald',
    metricName,
    dimensionsMap: { service: 'herald', ...(options.channel ? { channel: options.channel } : {}) },
    statistic: options.statistic ?? 'Sum',
    period: options.period ?? Duration.minutes(5),
    ...(options.channel ? { label: options.channel } : {}),
  });

/**
 * The alarms on what the service does as a whole (the functions' errors and throttles are
 * in HeraldFunction, the queues' in ChannelFunction): the API's server errors and slowness,
 * deliveries the sweeper finds overdue, deliveries that died, per channel family, and timers
 * that kept failing.
 */
export class ServiceAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const fiveMinutes = Duration.minutes(5);
    // Over 1% of the API's answers are 5xx for 5 minutes, when at least 20 requests came
    // (below that, one failed request is 5% and pages nobody usefully; the functions' error
    // alarms still see it). A 5xx is an app whose event was not taken: one 5-minute period.
    this.add('Api5xxAlarm', {
      alarmDescription: 'Herald API: over 1% of the answers are server errors (5xx)',
      metric: new cloudwatch.MathExpression({
        label: '5xx (% of requests)',
        expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
          requests: props.api.metricCount({ period: fiveMinutes, statistic: 'Sum' }),
        },
        period: fiveMinutes,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    // p99 over 5 s for 15 minutes: a warm answer takes tens of milliseconds and a cold start
    // about a second; 5 s is a sixth of API Gateway's 30 s limit, where callers time out. Three
    // periods in a row, so that a burst of cold starts (or a slow notifier test) does not page.
    this.add('ApiLatencyAlarm', {
      alarmDescription: 'Herald API: the p99 answer time is over 5 seconds',
      metric: props.api.metricLatency({ period: fiveMinutes, statistic: 'p99' }),
      threshold: 5000,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
    // The sweeper found deliveries due over 5 minutes ago (SWEEPER.overdueAfterSeconds) that
    // no queue holds: a queue that keeps refusing them. Any, in 2 of 3 runs' periods of 5
    // minutes: one stuck delivery is found again at every run until it is queued.
    this.add('OverdueAlarm', {
      alarmDescription: 'Herald sweeper: deliveries are overdue (due over 5 minutes ago and on no queue)',
      metric: heraldMetric('OverdueDeliveries', { statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    // The sweeper did not run for 15 minutes (it runs every minute): its schedule was disabled
    // or removed, and nothing queues what no queue holds, nor watches heartbeats. Missing data
    // counts: a sweeper that stopped publishes nothing, which the overdue alarm reads as OK.
    this.add('SweeperStoppedAlarm', {
      alarmDescription: 'Herald sweeper: it has not run for 15 minutes',
      metric: props.sweeper.metricInvocations({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    // A timer in the DLQ is a group notification (a wait, an interval, a repeat) that never went
    // out: any, as the family DLQs' alarms (ChannelFunction).
    this.add('TimerDlqAlarm', {
      alarmDescription: 'Herald timers: timers are in the dead-letter queue (they kept failing: a group notification did not go out)',
      metric: props.timerDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    // A delivery dead (every attempt used up) is a notification nobody got: any, in 5 minutes.
    // The DLQ alarm stays in alarm until the DLQ is emptied; this one says deaths go on now.
    for (const family of FAMILY_NAMES) {
      const channels = FAMILIES[family] as readonly ChannelName[];
      this.add(`${family[0]?.toUpperCase()}${family.slice(1)}DeadAlarm`, {
        alarmDescription: `Herald ${family}: deliveries died (their attempts are used up)`,
        metric: new cloudwatch.MathExpression({
          label: `dead (${family})`,
          // FILL: a channel that sent nothing has no data point, and counts 0.
          expression: 'SUM(FILL(METRICS(), 0))',
          usingMetrics: Object.fromEntries(channels.map((channel, i) => [`m${i}`, heraldMetric('Dead', { channel })])),
          period: fiveMinutes,
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }
  }

  private add(id: string, props: cloudwatch.AlarmProps): void {
    this.alarms.push(new cloudwatch.Alarm(this, id, { treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props }));
  }
}
