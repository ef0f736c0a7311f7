import { Aspects, RemovalPolicy, Stack, type IAspect } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';

export interface AlarmTopicProps {
  /** An address that gets every alarm and every return to OK by e-mail (it must confirm the subscription first). */
  readonly email?: string;
}

/**
 * Where every alarm of its stack goes: one SNS topic, encrypted with a key of its own (the
 * AWS-managed alias/aws/sns cannot be used by CloudWatch: alarms must be allowed to use the
 * key), reachable over TLS only, with an optional e-mail subscription. An Aspect puts the
 * topic on every alarm of the stack, when it fires and when it is OK again, so that an alarm
 * added later cannot be left without an action.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', {
      description: "Herald: encrypts the alarm topic's messages",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY, // it encrypts messages in flight only
    });
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Herald alarms', masterKey: key, enforceSSL: true });
    // CloudWatch publishes the alarms of this account (and no other's) to the topic, through the key.
    const cloudwatchOfThisAccount = new iam.ServicePrincipal('cloudwatch.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    });
    key.grant(cloudwatchOfThisAccount, 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic.grantPublish(cloudwatchOfThisAccount);
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    Aspects.of(Stack.of(this)).add(new AlarmActions(new SnsAction(this.topic)));
  }
}

/** Visits every alarm of a stack and gives it the action, on ALARM and on OK. */
class AlarmActions implements IAspect {
  constructor(private readonly action: cloudwatch.IAlarmAction) {}

  visit(node: IConstruct): void {
    if (!(node instanceof cloudwatch.Alarm)) return;
    node.addAlarmAction(this.action);
    node.addOkAction(this.action);
  }
}
