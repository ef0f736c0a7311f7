import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DELIVERY, VISIBILITY_TIMEOUT_SECONDS } from '../../shared/resources.js';

/**
 * A channel's queue and its dead-letter queue: encrypted (SSE-SQS), TLS only, retained
 * when the stack goes. The redrive count is a backstop for crashes; the channel function
 * dead-letters by itself when a delivery's attempts are used up. The timer queue is one too
 * (shared/resources.ts: timerQueue): the same settings fit it.
 */
export class ChannelQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.dlq = new sqs.Queue(this, 'Dlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(DELIVERY.dlqRetentionDays),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_SECONDS),
      retentionPeriod: Duration.days(DELIVERY.queueRetentionDays),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: DELIVERY.maxReceiveCount },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
