import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { FAMILIES, type Family } from '../../shared/core/types.js';
import { DELIVERY, TABLE_ACCESS } from '../../shared/resources.js';
import type { ChannelQueue } from './channel-queue.construct.js';
import { HeraldFunction, type FunctionLogLevel } from './herald-function.js';

export interface ChannelFunctionProps {
  readonly family: Family;
  readonly queue: ChannelQueue;
  readonly table: dynamodb.ITable;
  readonly environment: Record<string, string>;
  readonly logRetentionDays?: number;
  readonly logLevel?: FunctionLogLevel;
  /** Extra permissions the provider call needs (SES, SNS). */
  readonly providerStatements?: iam.PolicyStatement[];
}

/**
 * One channel family's function on its queue: batches of 10 with ReportBatchItemFailures, an
 * alarm when anything lands in the DLQ or the oldest message waits too long, and the
 * rights to update delivery records (and nothing else in the table) and to call its provider.
 */
export class ChannelFunction extends Construct {
  readonly function: HeraldFunction;
  readonly dlqAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ChannelFunctionProps) {
    super(scope, id);
    this.function = new HeraldFunction(this, 'Fn', {
      name: props.family,
      description: `Herald: delivers ${FAMILIES[props.family].join(', ')} notifications`,
      timeout: Duration.seconds(DELIVERY.functionTimeoutSeconds),
      environment: props.environment,
      ...(props.logRetentionDays ? { logRetentionDays: props.logRetentionDays } : {}),
      ...(props.logLevel ? { logLevel: props.logLevel } : {}),
    });
    const fn = this.function.fn;
    fn.addEventSource(
      new SqsEventSource(props.queue.queue, {
        batchSize: DELIVERY.batchSize,
        maxBatchingWindow: Duration.seconds(DELIVERY.maxBatchingWindowSeconds),
        maxConcurrency: DELIVERY.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    // A channel function claims and records deliveries (their event's record and the markers
    // of failed, dead and unqueued ones) and reads (and marks failing) the notifiers it sends
    // for, on those items only (TABLE_ACCESS.channel); the incident function also keeps the
    // order of incident updates (INC# items).
    const access = TABLE_ACCESS.channel;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: access.actions.map((a) => `dynamodb:${a}`),
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [...access.leadingKeys, ...(props.family === 'incident' ? access.incidentLeadingKeys : [])],
          },
        },
      }),
    );
    // It puts deliveries back on its own queue (set aside from a slow destination, or due at
    // another time than the rest of their message) and dead-letters by itself when a
    // delivery's attempts are used up (QUEUE_ACCESS.channel).
    props.queue.queue.grantSendMessages(fn);
    props.queue.dlq.grantSendMessages(fn);
    for (const statement of props.providerStatements ?? []) fn.addToRolePolicy(statement);

    this.dlqAlarm = new cloudwatch.Alarm(this, 'DlqAlarm', {
      alarmDescription: `Herald ${props.family}: deliveries are in the dead-letter queue`,
      metric: props.queue.dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    new cloudwatch.Alarm(this, 'AgeAlarm', {
      // Retried deliveries wait on the queue on purpose; an hour means the function is not keeping up.
      alarmDescription: `Herald ${props.family}: the oldest queued delivery has waited over an hour`,
      metric: props.queue.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 60 * 60,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
