import { readFileSync } from 'node:fs';

/**
 * Installation-wide provider settings (Monitron's two levels): the accounts Herald sends
 * through are set once here, while each notifier's target holds only its recipient (a
 * chat id, a user key, a phone number). Every `apiUrl` defaults to the provider's own API;
 * local mode points them at its stand-ins.
 *
 * Where they come from: HERALD_PROVIDERS (JSON) or the JSON file HERALD_PROVIDERS_FILE;
 * on AWS, the Secrets Manager secret HERALD_PROVIDERS_SECRET_ARN (a JSON secret string).
 */
export interface ProviderSettings {
  telegram?: { botToken: string; apiUrl?: string };
  /** `from` sends SMS and calls; `whatsappFrom` (a WhatsApp sender number) WhatsApp messages. */
  twilio?: { accountSid: string; authToken: string; from?: string; whatsappFrom?: string; apiUrl?: string };
  vonage?: { apiKey: string; apiSecret: string; from: string; apiUrl?: string };
  pushover?: { appToken: string; apiUrl?: string };
  onesignal?: { appId: string; apiKey: string; apiUrl?: string };
  pusherBeams?: { instanceId: string; secretKey: string; apiUrl?: string };
  /** VAPID keys (base64url, as `npx web-push generate-vapid-keys` prints them) and a contact (`mailto:` or `https:`). */
  webPush?: { publicKey: string; privateKey: string; subject: string };
  pagerduty?: { apiUrl?: string };
  /** One URL for both regions (a stand-in); by default each notifier's region picks api.opsgenie.com or api.eu.opsgenie.com. */
  opsgenie?: { apiUrl?: string };
  /** The ntfy server notifiers use when they name none, and its token. */
  ntfy?: { serverUrl?: string; token?: string };
  pushbullet?: { apiUrl?: string };
}

export const PROVIDER_NAMES = [
  'telegram',
  'twilio',
  'vonage',
  'pushover',
  'onesignal',
  'pusherBeams',
  'webPush',
  'pagerduty',
  'opsgenie',
  'ntfy',
  'pushbullet',
] as const satisfies readonly (keyof ProviderSettings)[];

/** The settings from the environment or a file; `{}` when there are none (AWS reads its secret apart). */
export function readProviderSettings(env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const raw = env['HERALD_PROVIDERS'] ?? (env['HERALD_PROVIDERS_FILE'] ? readFileSync(env['HERALD_PROVIDERS_FILE'], 'utf8') : undefined);
  return raw ? parseProviderSettings(raw, 'HERALD_PROVIDERS') : {};
}

/**
 * Parses the settings and checks their shape: an object per provider, strings only, the
 * required fields there. Errors name the field, never its value.
 */
export function parseProviderSettings(raw: string, source: string): ProviderSettings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new Error(`Herald: the provider settings (${source}) are not JSON: ${(err as Error).message}`);
  }
  if (!isObject(parsed)) throw new Error(`Herald: the provider settings (${source}) must be a JSON object`);
  for (const [name, settings] of Object.entries(parsed)) {
    const required = REQUIRED[name as keyof ProviderSettings];
    if (!required) throw new Error(`Herald: the provider settings (${source}) name an unknown provider "${name}"`);
    if (!isObject(settings)) throw new Error(`Herald: the provider settings of ${name} must be an object`);
    for (const [field, value] of Object.entries(settings)) {
      if (typeof value !== 'string' || !value) throw new Error(`Herald: ${name}.${field} must be a non-empty string`);
    }
    const missing = required.filter((f) => !(f in settings));
    if (missing.length) throw new Error(`Herald: the provider settings of ${name} lack ${missing.join(', ')}`);
  }
  return parsed as ProviderSettings;
}

const REQUIRED: Record<keyof ProviderSettings, string[]> = {
  telegram: ['botToken'],
  twilio: ['accountSid', 'authToken'],
  vonage: ['apiKey', 'apiSecret', 'from'],
  pushover: ['appToken'],
  onesignal: ['appId', 'apiKey'],
  pusherBeams: ['instanceId', 'secretKey'],
  webPush: ['publicKey', 'privateKey', 'subject'],
  pagerduty: [],
  opsgenie: [],
  ntfy: [],
  pushbullet: [],
};

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
