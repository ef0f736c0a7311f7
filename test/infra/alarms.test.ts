import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { FAMILIES, FAMILY_NAMES } from '../../shared/core/types.js';

/** Alarms that reach someone: what fires, at which threshold, and where it goes. */
const FUNCTIONS = 4 + FAMILY_NAMES.length; // api, ingest, console, sweeper and a function per channel family

const synthesize = (context: Record<string, unknown> = {}, before?: (stacks: ReturnType<typeof buildApp>) => void) => {
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:defaultCrossStackReferences': 'strong', ...context },
  });
  const stacks = buildApp(app);
  before?.(stacks);
  app.synth(); // cdk-nag runs here and throws on any unacknowledged finding
  return Template.fromStack(stacks.service);
};
const alarmsOf = (template: Template) => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[];
const topicRefOf = (template: Template) => ({ Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] });

let service: Template;
beforeAll(() => {
  service = synthesize();
});

describe('the alarm topic', () => {
  it('is the alarm action and the OK action of every alarm of the stack', () => {
    const alarms = alarmsOf(service);
    expect(alarms.length).toBeGreaterThanOrEqual(2 * FUNCTIONS + 2 * FAMILY_NAMES.length + 3 + FAMILY_NAMES.length);
    service.resourceCountIs('AWS::SNS::Topic', 1);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions, alarm.Properties.AlarmDescription).toEqual([topicRefOf(service)]);
      expect(alarm.Properties.OKActions, alarm.Properties.AlarmDescription).toEqual([topicRefOf(service)]);
    }
  });

  it('is put on an alarm added later without anyone wiring it', () => {
    const template = synthesize({}, ({ service }) => {
      new cloudwatch.Alarm(service, 'AddedLater', {
        alarmDescription: 'added later',
        metric: new cloudwatch.Metric({ namespace: 'Herald', metricName: 'Something', period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
      });
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'added later',
      AlarmActions: [topicRefOf(template)],
      OKActions: [topicRefOf(template)],
    });
  });

  it('is encrypted with a rotating key CloudWatch may use, and refuses requests without TLS', () => {
    const [topic] = Object.values(service.findResources('AWS::SNS::Topic')) as any[];
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    const key = service.findResources('AWS::KMS::Key')[keyId] as any;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    );
    const statements = Object.values(service.findResources('AWS::SNS::TopicPolicy')).flatMap(
      (p: any) => p.Properties.PolicyDocument.Statement,
    );
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' } }),
    );
  });

  it('has an e-mail subscription only with herald:alarmEmail, and a bad address stops the synth, naming the value', () => {
    service.resourceCountIs('AWS::SNS::Subscription', 0);
    synthesize({ 'herald:alarmEmail': 'oncall@example.com' }).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: Match.anyValue(),
    });
    expect(() => synthesize({ 'herald:alarmEmail': 'oncall' })).toThrow(/herald:alarmEmail must be an e-mail address, not "oncall"/);
  });
});

describe('the alarms', () => {
  const withMetric = (name: string) => alarmsOf(service).filter((a) => a.Properties.MetricName === name);

  it('fire on errors (2 of 3 periods of 5 minutes) and on any throttle of every function', () => {
    const errors = withMetric('Errors');
    expect(errors).toHaveLength(FUNCTIONS);
    for (const a of errors)
      expect(a.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
      });
    const throttles = withMetric('Throttles');
    expect(throttles).toHaveLength(FUNCTIONS);
    for (const a of throttles) expect(a.Properties).toMatchObject({ Period: 300, Threshold: 1, EvaluationPeriods: 1 });
    expect(errors.map((a) => a.Properties.AlarmDescription).sort()).toEqual(
      ['api', 'console', 'ingest', 'sweeper', ...FAMILY_NAMES].map((f) => `Herald ${f}: the function fails (threw or timed out)`).sort(),
    );
  });

  it('fire when over 1% of at least 20 API answers in 5 minutes are 5xx, and when the p99 answer time stays over 5 s', () => {
    const [rate] = alarmsOf(service).filter((a) => a.Properties.AlarmDescription?.includes('server errors'));
    expect(rate.Properties).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' });
    const queries = rate.Properties.Metrics as any[];
    expect(queries.find((q) => q.Expression)?.Expression).toBe('IF(requests >= 20, 100 * errors / requests, 0)');
    expect(
      queries
        .filter((q) => q.MetricStat)
        .map((q) => q.MetricStat.Metric.MetricName)
        .sort(),
    ).toEqual(['5xx', 'Count']);
    const [latency] = withMetric('Latency');
    expect(latency.Properties).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      ExtendedStatistic: 'p99',
      Threshold: 5000,
      EvaluationPeriods: 3,
    });
  });

  it('fire when the sweeper finds overdue deliveries, on the metric it publishes', () => {
    const [overdue] = withMetric('OverdueDeliveries');
    expect(overdue.Properties).toMatchObject({
      Namespace: 'Herald',
      Dimensions: [{ Name: 'service', Value: 'herald' }],
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
  });

  it('fire when the sweeper has not run for 15 minutes, no data counting as not run', () => {
    const [stopped] = alarmsOf(service).filter((a) => a.Properties.AlarmDescription === 'Herald sweeper: it has not run for 15 minutes');
    expect(stopped.Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 3,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    expect(JSON.stringify(stopped.Properties.Dimensions)).toContain('SweeperFunction');
  });

  it("fire on any dead delivery of a family, summing the Dead metric of the family's channels", () => {
    for (const family of FAMILY_NAMES) {
      const [dead] = alarmsOf(service).filter(
        (a) => a.Properties.AlarmDescription === `Herald ${family}: deliveries died (their attempts are used up)`,
      );
      expect(dead?.Properties, family).toMatchObject({ Threshold: 1, EvaluationPeriods: 1 });
      const queries = dead.Properties.Metrics as any[];
      expect(queries.find((q) => q.Expression)?.Expression).toBe('SUM(FILL(METRICS(), 0))');
      const channels = queries.filter((q) => q.MetricStat).map((q) => q.MetricStat.Metric);
      expect(channels.map((m) => m.MetricName)).toEqual(FAMILIES[family].map(() => 'Dead'));
      expect(channels.map((m) => m.Dimensions.find((d: any) => d.Name === 'channel').Value)).toEqual([...FAMILIES[family]]);
    }
  });

  it("fire on each DLQ that is not empty (the timer queue's too) and on each queue whose oldest delivery waits over an hour", () => {
    expect(withMetric('ApproximateNumberOfMessagesVisible').filter((a) => a.Properties.Threshold === 1)).toHaveLength(
      FAMILY_NAMES.length + 1,
    );
    expect(JSON.stringify(withMetric('ApproximateNumberOfMessagesVisible'))).toContain('TimerQueueDlq');
    expect(withMetric('ApproximateAgeOfOldestMessage').filter((a) => a.Properties.Threshold === 3600)).toHaveLength(FAMILY_NAMES.length);
  });
});

describe('the dashboard', () => {
  it('shows the alarms, the ingest rate, deliveries by outcome and channel, attempt latency p50 and p95, queue age and DLQ depth', () => {
    const [dashboard] = Object.values(service.findResources('AWS::CloudWatch::Dashboard')) as any[];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const title of [
      'Alarms',
      'Ingest rate (per 5 minutes)',
      'Deliveries by outcome (all channels)',
      'Attempt latency p50 (ms)',
      'Attempt latency p95 (ms)',
      'Waiting in the DLQs',
      'Age of the oldest queued delivery (s)',
    ])
      expect(body).toContain(`\\"title\\":\\"${title}\\"`);
    expect(body).toContain('alarm'); // the alarm status widget lists the alarms' ARNs
    for (const ingested of ['EventsAccepted', 'EventsRefused']) expect(body).toContain(ingested);
  });
});
