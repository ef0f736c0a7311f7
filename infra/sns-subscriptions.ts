import { z } from 'zod';
import * as sns from 'aws-cdk-lib/aws-sns';
import { UrlSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { TopicArn } from '../shared/schemas/source.js';

/**
 * The context value `herald:snsSubscriptions`: SNS topics the stack subscribes to Herald's
 * inbound sources, as `[{"topicArn": "arn:aws:sns:…", "sourceId": "src_…"}]` (cdk.json, or
 * `-c` as a JSON string). The source is created through the API first (an `sns` source):
 * its id names the URL SNS posts to.
 */
export interface SnsSubscription {
  readonly topicArn: string;
  readonly sourceId: string;
}

const Entry = z
  .object({
    topicArn: TopicArn,
    // newId('src') (shared/ids.ts): `src_` and a lower-case ULID.
    sourceId: z.string().regex(/^src_[0-9a-z]{26}$/, { error: 'must be a source id (src_ and 26 letters or digits), as the API answered' }),
  })
  .strict();

/** Reads the context value; a bad one stops the synth with what is wrong and in which entry. Undefined when unset. */
export function snsSubscriptionsOf(raw: unknown, name = 'herald:snsSubscriptions'): SnsSubscription[] | undefined {
  if (raw === undefined) return undefined;
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error(`Herald: the context value ${name} must be JSON (a list of {"topicArn", "sourceId"}), not ${raw}`);
    }
  }
  if (!Array.isArray(value))
    throw new Error(`Herald: the context value ${name} must be a list of {"topicArn", "sourceId"}, not ${JSON.stringify(value)}`);
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    const parsed = Entry.safeParse(entry);
    if (!parsed.success) {
      const why = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(entry)'} ${issue.message}`).join('; ');
      throw new Error(`Herald: the context value ${name}, entry ${i} (${JSON.stringify(entry)}): ${why}`);
    }
    const key = `${parsed.data.topicArn} ${parsed.data.sourceId}`;
    if (seen.has(key))
      throw new Error(`Herald: the context value ${name}, entry ${i} (${JSON.stringify(entry)}): a repeat of an entry above`);
    seen.add(key);
    return parsed.data;
  });
}

export interface InboundTopicsProps {
  /** The API's base URL (`${api.apiEndpoint}`): each source's inbound URL is under it. */
  readonly apiEndpoint: string;
  readonly subscriptions: readonly SnsSubscription[];
}

/**
 * Each topic subscribed over HTTPS to its source's inbound URL, raw delivery off (Herald
 * reads SNS's signed JSON envelope). SNS then posts a SubscriptionConfirmation, which
 * Herald confirms once its signature verifies. A topic of another account must allow this
 * account to subscribe (its topic policy: sns:Subscribe).
 */
export class InboundTopics extends Construct {
  constructor(scope: Construct, id: string, props: InboundTopicsProps) {
    super(scope, id);
    for (const { topicArn, sourceId } of props.subscriptions) {
      // Named by topic and source, not by position: reordering the list replaces nothing.
      const topic = sns.Topic.fromTopicArn(this, `${topicArn} ${sourceId}`, topicArn);
      const subscription = topic.addSubscription(
        new UrlSubscription(`${props.apiEndpoint}/v1/inbound/${sourceId}`, {
          protocol: sns.SubscriptionProtocol.HTTPS,
          rawMessageDelivery: false,
        }),
      );
      // The topic's region, always: the stack is env-agnostic, so CDK cannot tell a topic of
      // another region (whose subscription CloudFormation must create there) from one of its own.
      (subscription.node.defaultChild as sns.CfnSubscription).region = topicArn.split(':')[3];
    }
  }
}
