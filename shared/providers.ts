import { readFileSync } from 'node:fs';
import { parseRate } from './core/pacing.js';
import { CHANNEL_NAMES } from './core/types.js';

/**
 * Installation-wide provider settings (Monitron's two levels): the accounts Herald sends
 * through are set once here, while each notifier's target holds only its recipient (a
 * chat id, a user key, a phone number). Every `apiUrl` defaults to the provider's own API;
 * local mode points them at its stand-ins.
 *
 * Where they come from: HERALD_PROVIDERS (JSON) or the JSON file HERALD_PROVIDERS_FILE;
 * on AWS, the Secrets Manager secret HERALD_PROVIDERS_SECRET_ARN (a JSON secret string).
 */
/**
 * Each provider's settings: the fields a providers.json entry must have and those it may
 * have (strings, all of them). The one list: ProviderSettings and the parser's checks follow
 * from it, so a new provider is one entry here.
 */
const PROVIDERS = {
  telegram: { required: ['botToken'], optional: ['apiUrl'] },
  /** `from` sends SMS and calls; `whatsappFrom` (a WhatsApp sender number) WhatsApp messages. */
  twilio: { required: ['accountSid', 'authToken'], optional: ['from', 'whatsappFrom', 'apiUrl'] },
  vonage: { required: ['apiKey', 'apiSecret', 'from'], optional: ['apiUrl'] },
  pushover: { required: ['appToken'], optional: ['apiUrl'] },
  onesignal: { required: ['appId', 'apiKey'], optional: ['apiUrl'] },
  pusherBeams: { required: ['instanceId', 'secretKey'], optional: ['apiUrl'] },
  /** VAPID keys (base64url, as `npx web-push generate-vapid-keys` prints them) and a contact (`mailto:` or `https:`). */
  webPush: { required: ['publicKey', 'privateKey', 'subject'], optional: [] },
  pagerduty: { required: [], optional: ['apiUrl'] },
  /** One URL for both regions (a stand-in); by default each notifier's region picks api.opsgenie.com or api.eu.opsgenie.com. */
  opsgenie: { required: [], optional: ['apiUrl'] },
  /** The ntfy server notifiers use when they name none, and its token. */
  ntfy: { required: [], optional: ['serverUrl', 'token'] },
  pushbullet: { required: [], optional: ['apiUrl'] },
  /** The SES account's maximum send rate (`14/s`): email is paced only when it is given (core/pacing.ts). */
  ses: { required: [], optional: ['rate'] },
  /** Rates by channel (`slack: "1/s burst 3"`), instead of the providers' published ones (core/pacing.ts). */
  pacing: { required: [], optional: CHANNEL_NAMES },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;

type Fields<P extends { required: readonly string[]; optional: readonly string[] }> = {
  [F in P['required'][number]]: string;
} & { [F in P['optional'][number]]?: string };

/** The installation's provider settings, as providers.json holds them (the shape of PROVIDERS). */
export type ProviderSettings = { [N in keyof typeof PROVIDERS]?: Fields<(typeof PROVIDERS)[N]> };

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
    const required: readonly string[] | undefined = Object.hasOwn(PROVIDERS, name)
      ? PROVIDERS[name as keyof typeof PROVIDERS].required
      : undefined;
    if (!required) throw new Error(`Herald: the provider settings (${source}) name an unknown provider "${name}"`);
    if (!isObject(settings)) throw new Error(`Herald: the provider settings of ${name} must be an object`);
    for (const [field, value] of Object.entries(settings)) {
      if (typeof value !== 'string' || !value) throw new Error(`Herald: ${name}.${field} must be a non-empty string`);
    }
    const badRate = Object.entries(settings).find(([field, value]) => (name === 'pacing' || field === 'rate') && !parseRate(String(value)));
    if (badRate)
      throw new Error(
        `Herald: ${name}.${badRate[0]} must be a rate such as "14/s", "20/min" or "1/s burst 3", no slower than one an hour and no faster than 1000/s`,
      );
    if (name === 'pacing') {
      const unknown = Object.keys(settings).find((channel) => !(CHANNEL_NAMES as readonly string[]).includes(channel));
      if (unknown) throw new Error(`Herald: pacing.${unknown} names no channel`);
    }
    const missing = required.filter((f) => !(f in settings));
    if (missing.length) throw new Error(`Herald: the provider settings of ${name} lack ${missing.join(', ')}`);
  }
  return parsed as ProviderSettings;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
