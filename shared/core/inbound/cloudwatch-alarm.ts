import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { issuesOf } from '../../schemas/issues.js';
import type { Severity } from '../types.js';
import { cut, EVENT_LIMITS } from './limits.js';
import type { Inbound, InboundEvent, SourceSettings } from './inbound.js';

/**
 * A CloudWatch alarm's state change, as CloudWatch publishes it to an SNS topic (the
 * notification's Message, in JSON): ALARM a problem, OK its recovery, INSUFFICIENT_DATA as
 * the source says. The alarm's ARN (its name in messages without one) is the check, so
 * that Herald's state changes send the recovery to whoever got the failure.
 */

const Dimension = z.object({ name: z.string(), value: z.string() });

const Metric = z.object({ Namespace: z.string().optional(), MetricName: z.string().optional(), Dimensions: z.array(Dimension).optional() });

// Only what Herald reads is checked; every field is kept in the event's data as CloudWatch sent it.
const Alarm = z.looseObject({
  AlarmName: z.string().min(1),
  AlarmArn: z.string().min(1).optional(),
  AlarmDescription: z.string().nullish(),
  NewStateValue: z.enum(['ALARM', 'OK', 'INSUFFICIENT_DATA']),
  NewStateReason: z.string(),
  StateChangeTime: z.string().optional(),
  Region: z.string().optional(),
  // Absent from composite alarms (an AlarmRule over other alarms instead).
  Trigger: z
    .looseObject({
      ...Metric.shape,
      Statistic: z.string().nullish(),
      Period: z.number().nullish(),
      ComparisonOperator: z.string().nullish(),
      Threshold: z.number().nullish(),
      ThresholdMetricId: z.string().nullish(),
      // Alarms on metric math: their metrics and expressions, instead of MetricName.
      Metrics: z
        .array(
          z.looseObject({
            Id: z.string(),
            Label: z.string().nullish(),
            Expression: z.string().nullish(),
            MetricStat: z.looseObject({ Metric }).nullish(),
          }),
        )
        .optional(),
    })
    .optional(),
});

export type CloudWatchAlarm = z.infer<typeof Alarm>;

/**
 * The alarm a notification's Message is, if it is one: a JSON object with `AlarmName` and
 * `NewStateValue`. Such a message of the wrong shape is a 400 naming the field (`Message.…`).
 */
export function cloudWatchAlarmOf(text: string): CloudWatchAlarm | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object' || !('AlarmName' in json) || !('NewStateValue' in json)) return undefined;
  const parsed = Alarm.safeParse(json);
  if (!parsed.success) {
    const details = issuesOf(parsed.error).map((issue) => ({ ...issue, path: `Message.${issue.path}` }));
    throw new ValidationError("The message is a CloudWatch alarm's, but not a valid one", details);
  }
  return parsed.data;
}

interface Outcome {
  type: 'alert.firing' | 'alert.resolved';
  severity: Severity;
  /** The check's status, for Herald's state changes. */
  status: 'ERROR' | 'WARNING' | 'OK';
}

const PROBLEM: Outcome = { type: 'alert.firing', severity: 'critical', status: 'ERROR' };
const WARNING: Outcome = { type: 'alert.firing', severity: 'warning', status: 'WARNING' };
const RECOVERY: Outcome = { type: 'alert.resolved', severity: 'info', status: 'OK' };

/** The event an alarm's state change is (or nothing, for INSUFFICIENT_DATA when the source ignores it). */
export function alarmInbound(
  alarm: CloudWatchAlarm,
  notification: { MessageId: string; TopicArn: string; Timestamp: string },
  settings: Pick<SourceSettings, 'insufficientData'>,
): Inbound {
  const outcome = outcomeOf(alarm.NewStateValue, settings.insufficientData ?? 'warning');
  if (!outcome) {
    return { kind: 'ignored', reason: `${alarm.AlarmName} has insufficient data, which this source ignores (settings.insufficientData)` };
  }
  const where = alarm.Region ? ` in ${alarm.Region}` : '';
  const event: InboundEvent = {
    type: outcome.type,
    severity: outcome.severity,
    title: cut(`${alarm.NewStateValue}: "${alarm.AlarmName}"${where}`, EVENT_LIMITS.title),
    message: cut(describe(alarm), EVENT_LIMITS.message),
    data: { ...alarm, topicArn: notification.TopicArn, check: alarm.AlarmArn ?? alarm.AlarmName, status: outcome.status },
    occurredAt: isoOf(alarm.StateChangeTime) ?? notification.Timestamp,
    id: notification.MessageId,
  };
  return { kind: 'events', events: [event] };
}

function outcomeOf(state: CloudWatchAlarm['NewStateValue'], insufficientData: 'warning' | 'problem' | 'ignore'): Outcome | undefined {
  if (state === 'ALARM') return PROBLEM;
  if (state === 'OK') return RECOVERY;
  return { warning: WARNING, problem: PROBLEM, ignore: undefined }[insufficientData];
}

/** The reason, then what is watched and against what: what a person on call reads first. */
function describe(alarm: CloudWatchAlarm): string {
  const trigger = alarm.Trigger;
  const lines = [alarm.NewStateReason];
  const metric = trigger && metricOf(trigger);
  if (metric) lines.push(`Metric: ${metric}`);
  const threshold = trigger && thresholdOf(trigger);
  if (threshold) lines.push(`Threshold: ${threshold}`);
  if (alarm.AlarmDescription) lines.push(alarm.AlarmDescription);
  return lines.join('\n');
}

const nameOf = (m: z.infer<typeof Metric>): string => {
  const dimensions = (m.Dimensions ?? []).map((d) => `${d.name}=${d.value}`).join(', ');
  return [m.Namespace, m.MetricName].filter(Boolean).join(' ') + (dimensions ? ` (${dimensions})` : '');
};

function metricOf(trigger: NonNullable<CloudWatchAlarm['Trigger']>): string | undefined {
  if (trigger.MetricName) {
    const statistic = trigger.Statistic && trigger.Period ? `, ${trigger.Statistic} over ${trigger.Period} s` : '';
    return nameOf(trigger) + statistic;
  }
  const parts = (trigger.Metrics ?? []).map((m) =>
    m.Expression ? `${m.Label || m.Id} = ${m.Expression}` : m.MetricStat ? `${m.Id}: ${nameOf(m.MetricStat.Metric)}` : m.Id,
  );
  return parts.length ? parts.join('; ') : undefined;
}

const OPERATORS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: '>=',
  GreaterThanThreshold: '>',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

function thresholdOf(trigger: NonNullable<CloudWatchAlarm['Trigger']>): string | undefined {
  const operator = trigger.ComparisonOperator;
  if (!operator) return undefined;
  // Anomaly detection compares with a band (ThresholdMetricId), not a number.
  if (typeof trigger.Threshold !== 'number')
    return trigger.ThresholdMetricId ? `${operator} (band ${trigger.ThresholdMetricId})` : operator;
  return `${OPERATORS[operator] ?? operator} ${trigger.Threshold}`;
}

/** CloudWatch writes `2019-02-15T23:53:45.093+0000`; an event's time wants `+00:00`. */
function isoOf(time: string | undefined): string | undefined {
  const iso = time?.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return iso && z.iso.datetime({ offset: true }).safeParse(iso).success ? iso : undefined;
}
