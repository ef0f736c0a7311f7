import { FAMILY_NAMES, type Family } from './core/types.js';
import { readFileSync } from 'node:fs';
import type { OutboundPolicy } from './channels/outbound.js';
import type { MessageSettings } from './core/messages/render.js';
import { parseRetrySchedule } from './core/retry-policy.js';
import { readProviderSettings, type ProviderSettings } from './providers.js';
import { DEFAULT_RETENTION_DAYS, dlqUrlVariable, queueUrlVariable, retentionDaysOf, SWEEPER, TIMERS } from './resources.js';

/**
 * Herald's settings, read from the environment once per cold start. A function asks for
 * what it needs; a missing required variable fails at once, naming the variable.
 */
export interface Config {
  region: string;
  tableName: string;
  /** The queue and DLQ of each channel family. */
  queueUrls: Partial<Record<Family, string>>;
  dlqUrls: Partial<Record<Family, string>>;
  /** The timer queue (HERALD_TIMER_QUEUE_URL): where the api, ingest and the sweeper set timers. */
  timerQueueUrl?: string;
  /** Waits between attempts, in seconds (HERALD_RETRY_SCHEDULE). */
  retrySchedule: readonly number[];
  /** Disable a notifier whose endpoint has failed every delivery for this long (HERALD_DISABLE_AFTER_DAYS). */
  disableAfterDays: number;
  /** How long events and their deliveries are kept (HERALD_RETENTION_DAYS, default 30; DynamoDB TTL on AWS). */
  retentionDays: number;
  emailFrom: string;
  /** Default language, template overrides (HERALD_TEMPLATES, or a JSON file HERALD_TEMPLATES_FILE), console URL. */
  messages: MessageSettings;
  /** Herald's own URL as people reach it, for the links in its messages (HERALD_PUBLIC_URL; local mode: the address it listens on). */
  publicUrl?: string;
  /** Where the admin key comes from: the key itself (local mode) or a secret's ARN (AWS). */
  adminKey?: string;
  adminKeySecretArn?: string;
  /** Provider accounts (HERALD_PROVIDERS or HERALD_PROVIDERS_FILE); on AWS, read from the secret HERALD_PROVIDERS_SECRET_ARN. */
  providers: ProviderSettings;
  providersSecretArn?: string;
  /** Service endpoints for local mode; undefined on AWS. */
  endpoints: { dynamodb?: string; sqs?: string; ses?: string; sns?: string; secretsmanager?: string };
  local: boolean;
  /** HERALD_OUTBOUND_POLICY: `aws` makes local mode send only where AWS would (see outboundOf). */
  outboundPolicy?: 'aws' | 'local';
  /**
   * Inbound SNS, local mode only: a stand-in of SNS trusted besides SNS's own hosts for signing
   * certificates and SubscribeURLs (HERALD_SNS_ALLOWED_HOSTS, `host:port` comma-separated), and the
   * CA its HTTPS certificate is signed by (HERALD_SNS_CA_FILE, PEM).
   */
  snsStandIn?: { allowedHosts: string[]; ca?: string };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`Herald: the environment variable ${name} is not set`);
    return value;
  };
  const queueUrls: Config['queueUrls'] = {};
  const dlqUrls: Config['dlqUrls'] = {};
  for (const family of FAMILY_NAMES) {
    const url = env[queueUrlVariable(family)];
    if (url) queueUrls[family] = url;
    const dlq = env[dlqUrlVariable(family)];
    if (dlq) dlqUrls[family] = dlq;
  }
  const disableAfterDays = Number(env['HERALD_DISABLE_AFTER_DAYS'] ?? SWEEPER.disableAfterDays);
  if (!(disableAfterDays > 0)) throw new Error('Herald: HERALD_DISABLE_AFTER_DAYS must be a positive number of days');
  const retentionDays = retentionDaysOf(env['HERALD_RETENTION_DAYS'] ?? DEFAULT_RETENTION_DAYS, 'HERALD_RETENTION_DAYS');
  return {
    region: env['AWS_REGION'] ?? 'us-east-1',
    tableName: required('HERALD_TABLE'),
    queueUrls,
    dlqUrls,
    ...(env[TIMERS.queueUrlVariable] ? { timerQueueUrl: env[TIMERS.queueUrlVariable] } : {}),
    retrySchedule: parseRetrySchedule(env['HERALD_RETRY_SCHEDULE']),
    disableAfterDays,
    retentionDays,
    emailFrom: env['HERALD_EMAIL_FROM'] ?? 'herald@example.com',
    messages: {
      ...(env['HERALD_LOCALE'] ? { locale: env['HERALD_LOCALE'] } : {}),
      ...(env['HERALD_CONSOLE_URL'] ? { consoleUrl: env['HERALD_CONSOLE_URL'] } : {}),
      templates: readTemplates(env),
    },
    ...(env['HERALD_PUBLIC_URL'] ? { publicUrl: env['HERALD_PUBLIC_URL'] } : {}),
    adminKey: env['HERALD_ADMIN_KEY'] || undefined,
    adminKeySecretArn: env['HERALD_ADMIN_KEY_SECRET_ARN'] || undefined,
    providers: readProviderSettings(env),
    providersSecretArn: env['HERALD_PROVIDERS_SECRET_ARN'] || undefined,
    endpoints: {
      dynamodb: env['HERALD_DYNAMODB_ENDPOINT'],
      sqs: env['HERALD_SQS_ENDPOINT'],
      ses: env['HERALD_SES_ENDPOINT'],
      sns: env['HERALD_SNS_ENDPOINT'],
    },
    local: env['HERALD_LOCAL'] === '1',
    outboundPolicy: readOutboundPolicy(env),
    ...readSnsStandIn(env),
  };
}

/** A stand-in of SNS is trusted only where nothing real is at stake: refused outside local mode. */
function readSnsStandIn(env: NodeJS.ProcessEnv): Pick<Config, 'snsStandIn'> {
  const hosts = (env['HERALD_SNS_ALLOWED_HOSTS'] ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const caFile = env['HERALD_SNS_CA_FILE'] || undefined;
  if (hosts.length === 0 && !caFile) return {};
  if (env['HERALD_LOCAL'] !== '1') {
    throw new Error(
      'Herald: HERALD_SNS_ALLOWED_HOSTS and HERALD_SNS_CA_FILE trust a stand-in of Amazon SNS: local mode only (HERALD_LOCAL=1)',
    );
  }
  return { snsStandIn: { allowedHosts: hosts, ...(caFile ? { ca: readFileSync(caFile, 'utf8') } : {}) } };
}

/**
 * Where HTTP channels may send: on AWS, https to public addresses only; in local mode
 * anywhere (receivers and stand-ins on this machine), unless HERALD_OUTBOUND_POLICY=aws
 * applies AWS's rule there too, so that it can be tried.
 */
export const outboundOf = (config: Pick<Config, 'local' | 'outboundPolicy'>): OutboundPolicy => ({
  allowPrivate: config.local && config.outboundPolicy !== 'aws',
});

function readOutboundPolicy(env: NodeJS.ProcessEnv): Config['outboundPolicy'] {
  const value = env['HERALD_OUTBOUND_POLICY'] || undefined;
  if (value === undefined || value === 'aws' || value === 'local') return value;
  throw new Error(
    'Herald: HERALD_OUTBOUND_POLICY must be aws (https to public addresses only) or local (anywhere; the default in local mode)',
  );
}

export function queueUrlOf(config: Config, family: Family): string {
  const url = config.queueUrls[family];
  if (!url) throw new Error(`Herald: the environment variable ${queueUrlVariable(family)} is not set`);
  return url;
}

export function dlqUrlOf(config: Config, family: Family): string {
  const url = config.dlqUrls[family];
  if (!url) throw new Error(`Herald: the environment variable ${dlqUrlVariable(family)} is not set`);
  return url;
}

export function timerQueueUrlOf(config: Config): string {
  if (!config.timerQueueUrl) throw new Error(`Herald: the environment variable ${TIMERS.queueUrlVariable} is not set`);
  return config.timerQueueUrl;
}

/**
 * Installation-wide template overrides: HERALD_TEMPLATES (JSON), or the JSON file
 * HERALD_TEMPLATES_FILE. Only their shape is checked here; whether they parse is checked at
 * synth and when the api starts (assertOverrides), so that this module needs no template engine.
 */
function readTemplates(env: NodeJS.ProcessEnv): Record<string, string> {
  const raw = env['HERALD_TEMPLATES'] ?? (env['HERALD_TEMPLATES_FILE'] ? readFileSync(env['HERALD_TEMPLATES_FILE'], 'utf8') : undefined);
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(`Herald: the template overrides (HERALD_TEMPLATES or HERALD_TEMPLATES_FILE) are not JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new Error(
      'Herald: the template overrides must be a JSON object of strings, keyed [<type or @category>/][<locale>/]<channel>.<part>',
    );
  }
  return parsed as Record<string, string>;
}
