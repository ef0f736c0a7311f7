import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';

/** `herald:snsSubscriptions`: SNS topics the service stack subscribes to inbound sources' URLs. */

const ALARMS = 'arn:aws:sns:eu-west-1:123456789012:cloudwatch-alarms';
const BILLING = 'arn:aws:sns:us-east-1:210987654321:billing';
const SOURCE = 'src_01kb3h6t2y9xq4w8e5r7m0n1pz';
const OTHER = 'src_01kb3h7a5c8d2f4g6h9j0k3m5n';

const synthesize = (context: Record<string, unknown>) => {
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:defaultCrossStackReferences': 'strong', ...context },
  });
  const stacks = buildApp(app);
  app.synth(); // cdk-nag runs here and throws on any unacknowledged finding
  return Template.fromStack(stacks.service);
};

/** The inbound URL a subscription posts to, as CloudFormation joins it: `${api endpoint}/v1/inbound/<source>`. */
const inboundUrl = (sourceId: string) => ({ 'Fn::Join': ['', [Match.anyValue(), `/v1/inbound/${sourceId}`]] });

describe('SNS subscriptions from context', () => {
  it('subscribes each topic over HTTPS to its source URL on the API, raw delivery off, cdk-nag clean', () => {
    // As `-c herald:snsSubscriptions='[...]'` gives it: a JSON string.
    const template = synthesize({
      'herald:snsSubscriptions': JSON.stringify([
        { topicArn: ALARMS, sourceId: SOURCE },
        { topicArn: BILLING, sourceId: OTHER },
      ]),
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const [topicArn, sourceId] of [
      [ALARMS, SOURCE],
      [BILLING, OTHER],
    ] as const) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: topicArn,
        Protocol: 'https',
        Endpoint: inboundUrl(sourceId),
        Region: topicArn.split(':')[3],
      });
    }
    template.allResourcesProperties('AWS::SNS::Subscription', { RawMessageDelivery: false });
    // The endpoint is this stack's HTTP API.
    const [api] = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'));
    const endpoints = Object.values(template.findResources('AWS::SNS::Subscription')).map(
      (s: any) => s.Properties.Endpoint['Fn::Join'][1][0],
    );
    expect(endpoints).toEqual([{ 'Fn::GetAtt': [api, 'ApiEndpoint'] }, { 'Fn::GetAtt': [api, 'ApiEndpoint'] }]);
  });

  it('takes the list as cdk.json holds it, and subscribes nothing when it is unset', () => {
    const fromJson = synthesize({ 'herald:snsSubscriptions': [{ topicArn: ALARMS, sourceId: SOURCE }] });
    fromJson.resourceCountIs('AWS::SNS::Subscription', 1);
    // The alarm topic's own e-mail subscription is there only with herald:alarmEmail.
    synthesize({}).resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('stops the synth with a clear error naming the bad entry', () => {
    const refused = (value: unknown) => () => synthesize({ 'herald:snsSubscriptions': value });
    expect(refused('[{"topicArn": ')).toThrow(/herald:snsSubscriptions must be JSON/);
    expect(refused({ topicArn: ALARMS, sourceId: SOURCE })).toThrow(/herald:snsSubscriptions must be a list/);
    expect(
      refused([
        { topicArn: ALARMS, sourceId: SOURCE },
        { topicArn: 'cloudwatch-alarms', sourceId: SOURCE },
      ]),
    ).toThrow(/herald:snsSubscriptions, entry 1 \(\{"topicArn":"cloudwatch-alarms".*\): topicArn must be an SNS topic ARN/);
    expect(refused([{ topicArn: ALARMS, sourceId: 'https://herald.example/v1/inbound/src_x' }])).toThrow(
      /entry 0 .*: sourceId must be a source id/,
    );
    expect(refused([{ topicArn: ALARMS }])).toThrow(/entry 0 .*: sourceId/);
    expect(refused([{ topicArn: ALARMS, sourceId: SOURCE, raw: true }])).toThrow(/entry 0 .*: \(entry\) Unrecognized key/);
    expect(
      refused([
        { topicArn: ALARMS, sourceId: SOURCE },
        { topicArn: ALARMS, sourceId: SOURCE },
      ]),
    ).toThrow(/entry 1 .*: a repeat of an entry above/);
  });
});
