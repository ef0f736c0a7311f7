import { RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Family } from '../shared/core/types.js';
import { channelQueues, TABLE } from '../shared/resources.js';
import { ChannelQueue } from './constructs/channel-queue.construct.js';

/**
 * What Herald keeps: the table, the channel queues and the timer queue with their DLQs,
 * and the admin key.
 * Everything here is retained on delete, and code deploys (the service stack) never
 * replace it.
 */
export class HeraldDataStack extends Stack {
  readonly table: dynamodb.Table;
  /** The key the table (webhook secrets, targets, events) is encrypted with: the stack's own. */
  readonly tableKey: kms.Key;
  readonly queues: Record<Family, ChannelQueue>;
  /** Timers to the second (a group's next notification), with the family queues' settings; the sweeper consumes it. */
  readonly timerQueue: ChannelQueue;
  readonly adminKey: secretsmanager.Secret;
  /** The installation's provider accounts (a Telegram bot, Twilio, VAPID keys...), as JSON: `{}` until an operator sets them. */
  readonly providers: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.tableKey = new kms.Key(this, 'TableKey', {
      description: "Herald: encrypts the table, where notifiers' secrets are kept",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      timeToLiveAttribute: TABLE.ttlAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
      });
    }

    this.queues = {} as Record<Family, ChannelQueue>;
    for (const definition of channelQueues()) {
      const queue = new ChannelQueue(this, `${capitalize(definition.family)}Queue`);
      this.queues[definition.family] = queue;
      Validations.of(queue.dlq).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is a dead-letter queue; what lands in it is counted, alarmed on and redriven by Herald.',
      });
    }
    this.timerQueue = new ChannelQueue(this, 'TimerQueue');
    Validations.of(this.timerQueue.dlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is the timer queue's dead-letter queue: a timer that keeps failing lands there, alarmed on.",
    });

    this.adminKey = new secretsmanager.Secret(this, 'AdminKey', {
      description: "Herald's admin API key: it manages apps, keys and notifiers.",
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.providers = new secretsmanager.Secret(this, 'Providers', {
      description:
        'Herald\'s provider settings (JSON, see README "Channels"): accounts that chat, push, incident and SMS providers send through.',
      secretStringValue: SecretValue.unsafePlainText('{}'),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.providers).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Provider tokens are issued by the providers (Telegram, Twilio...); they are rotated there, then put here by an operator.',
    });
    Validations.of(this.adminKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The admin key is an API bearer token handed to operators; rotating it is an operator decision (see README), not a schedule.',
    });
  }
}

const capitalize = (s: string) => s[0]?.toUpperCase() + s.slice(1);
