import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Validations } from 'aws-cdk-lib';
import { z } from 'zod';
import { assertOverrides } from '../shared/core/messages/render.js';
import { retentionDaysOf } from '../shared/resources.js';
import { HeraldDataStack } from './data-stack.js';
import { FUNCTION_LOG_LEVELS, type FunctionLogLevel } from './constructs/herald-function.js';
import { HeraldServiceStack } from './service-stack.js';
import { snsSubscriptionsOf } from './sns-subscriptions.js';

/**
 * The CDK app: Herald's data (table, queues, admin key) and its service (functions, API)
 * in two stacks, so that code deploys never touch data. Env-agnostic: `cdk synth` runs
 * offline. Context: `herald:emailFrom`, `herald:logRetentionDays`, `herald:locale`,
 * `herald:templates` (overrides, as JSON), `herald:consoleUrl`, `herald:apiRateLimit`,
 * `herald:apiBurstLimit`, `herald:accessLog`, `herald:retentionDays`, `herald:logLevel`, `herald:ingestUrl`, `herald:publicUrl`, `herald:alarmEmail`,
 * `herald:snsSubscriptions` (SNS topics subscribed to inbound sources: infra/sns-subscriptions.ts) (cdk.json or -c).
 */
export function buildApp(app: App): { data: HeraldDataStack; service: HeraldServiceStack } {
  const emailFrom = String(app.node.tryGetContext('herald:emailFrom') ?? 'herald@example.com');
  const logRetentionDays = Number(app.node.tryGetContext('herald:logRetentionDays') ?? 30);
  const context = (name: string): string | undefined => {
    const value = app.node.tryGetContext(name) as unknown;
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
  const messages = { locale: context('herald:locale'), templates: context('herald:templates'), consoleUrl: context('herald:consoleUrl') };
  // A template override that does not parse stops the synth, not the first delivery.
  if (messages.templates) assertOverrides(JSON.parse(messages.templates) as Record<string, string>, 'herald:templates');
  const api = {
    rateLimit: positiveNumber(app, 'herald:apiRateLimit'),
    burstLimit: positiveNumber(app, 'herald:apiBurstLimit'),
    accessLog: onOff(app, 'herald:accessLog'),
  };
  const retention = app.node.tryGetContext('herald:retentionDays');
  const retentionDays = retention === undefined ? undefined : retentionDaysOf(retention, 'the context value herald:retentionDays');
  const alarmEmail = emailAddress(app, 'herald:alarmEmail');
  const logLevel = context('herald:logLevel');
  const ingestUrl = onOff(app, 'herald:ingestUrl');
  const publicUrl = httpsUrl(app, 'herald:publicUrl');
  const snsSubscriptions = snsSubscriptionsOf(app.node.tryGetContext('herald:snsSubscriptions'));
  const data = new HeraldDataStack(app, 'HeraldData', { description: 'Herald: table, queues and admin key (retained)' });
  const service = new HeraldServiceStack(app, 'HeraldService', {
    description: 'Herald: API and channel functions',
    data,
    emailFrom,
    logRetentionDays,
    ...(retentionDays !== undefined ? { retentionDays } : {}),
    ...(logLevel !== undefined ? { logLevel: functionLogLevel(logLevel) } : {}),
    ...(ingestUrl !== undefined ? { ingestUrl } : {}),
    ...(publicUrl !== undefined ? { publicUrl } : {}),
    messages: Object.fromEntries(Object.entries(messages).filter(([, v]) => v !== undefined)),
    api: Object.fromEntries(Object.entries(api).filter(([, v]) => v !== undefined)),
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    ...(snsSubscriptions !== undefined ? { snsSubscriptions } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { data, service };
}

/** herald:logLevel: TRACE, DEBUG or INFO (any case); anything else stops the synth. */
function functionLogLevel(value: string): FunctionLogLevel {
  const level = value.trim().toUpperCase();
  if ((FUNCTION_LOG_LEVELS as readonly string[]).includes(level)) return level as FunctionLogLevel;
  throw new Error(
    `Herald: the context value herald:logLevel must be one of ${FUNCTION_LOG_LEVELS.join(', ')}, not ${JSON.stringify(value)}: ` +
      'from WARN, Lambda would drop the metrics (their lines carry no level, which Lambda takes for INFO)',
  );
}

/** A context value that must be true or false (`-c` gives strings); undefined when unset. Anything else stops the synth. */
function onOff(app: App, name: string): boolean | undefined {
  const raw = app.node.tryGetContext(name) as unknown;
  if (raw === undefined) return undefined;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new Error(`Herald: the context value ${name} must be true or false, not ${JSON.stringify(raw)}`);
}

/** A context value that must be a positive number (`-c` gives strings); undefined when unset. A bad one stops the synth. */
function positiveNumber(app: App, name: string): number | undefined {
  const raw = app.node.tryGetContext(name) as unknown;
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0))
    throw new Error(`Herald: the context value ${name} must be a positive number, not ${JSON.stringify(raw)}`);
  return value;
}

/** A context value that must be an e-mail address; undefined when unset. A bad one stops the synth (not the subscription). */
function emailAddress(app: App, name: string): string | undefined {
  const raw = app.node.tryGetContext(name) as unknown;
  if (raw === undefined) return undefined;
  if (!z.email().safeParse(raw).success)
    throw new Error(`Herald: the context value ${name} must be an e-mail address, not ${JSON.stringify(raw)}`);
  return raw as string;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const app = new App();
  buildApp(app);
  app.synth();
}

/** herald:publicUrl: Herald's own https URL (a custom domain in front of the API), for the links in its messages. */
function httpsUrl(app: App, name: string): string | undefined {
  const value = app.node.tryGetContext(name) as unknown;
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(value)) return value.replace(/\/+$/, '');
  throw new Error(
    `Herald: the context value ${name} must be an https URL such as https://herald.example.com, not ${JSON.stringify(value)}`,
  );
}
