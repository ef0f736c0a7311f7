import type { MessageSettings } from '../core/messages/render.js';
import type { ProviderSettings } from '../providers.js';
import type { OutboundPolicy } from './outbound.js';
import type { EmailSender, IncidentLedger, SendResult, SmsSender } from '../core/ports.js';
import type { ChannelName, DeliveryMessage, FAMILIES, Family } from '../core/types.js';
import { PermanentDeliveryError } from '../errors.js';

/** What a channel may use to send. Each channel function passes only what it needs. */
export interface SendContext {
  email?: EmailSender;
  sms?: SmsSender;
  emailFrom?: string;
  /** Where HTTP channels may send (local mode: anywhere; AWS: https to public addresses). */
  outbound: OutboundPolicy;
  /** The installation's message settings: default language, template overrides, console URL. */
  messages?: MessageSettings;
  /** The installation's provider accounts (a Telegram bot, Twilio, VAPID keys...). */
  providers?: ProviderSettings;
  /** The order of incident updates (incident channels). */
  incidentLedger?: IncidentLedger;
  httpTimeoutMs: number;
  now: () => Date;
}

/**
 * What a channel knows of a notifier's target without sending: whom it names, how to hide
 * its secrets, what Herald will call. Each channel's `addressing.ts` exports it apart from
 * its sender (`sender.ts`), so that ingest, the sweeper and the delivery log (ADDRESSING in
 * addressing.ts) load none of the senders' code and libraries (liquidjs, web-push).
 */
export interface ChannelAddressing<Target extends object = Record<string, unknown>> {
  readonly name: ChannelName;
  /** The installation-wide settings it sends through, when it needs an account of its own. */
  readonly provider?: keyof ProviderSettings;
  /** The installation-wide settings it reads when they are there (an API URL, a default server) but does without. */
  readonly settings?: keyof ProviderSettings;
  /** The setting it lacks, beyond its provider's required ones (`twilio.whatsappFrom`), if any. */
  missingSetting?(providers: ProviderSettings): string | undefined;
  recipients(target: Target): string[];
  /** The target as the API shows it: secrets masked. */
  maskTarget(target: Target): Target;
  /** A recipient as the delivery log shows it. */
  maskRecipient(recipient: string): string;
  /**
   * The URLs of the target that Herald itself will call (a webhook, an ntfy server, a push
   * endpoint), by their field: each must pass the outbound policy when the notifier is saved.
   * Empty when Herald calls only the installation's providers.
   */
  endpoints(target: Target): { field: string; url: string }[];
}

/**
 * One way a notification travels: its addressing, and how to send one delivery. `send`
 * resolves on success and throws PermanentDeliveryError or TransientDeliveryError otherwise.
 * The target's schema is in a module of its own (`target.ts`), so that a channel function's
 * bundle leaves zod out.
 */
export interface Channel<Target extends object = Record<string, unknown>> extends ChannelAddressing<Target> {
  send(message: DeliveryMessage, context: SendContext): Promise<SendResult>;
}

/** A family's channels, by name: exactly the names FAMILIES gives the family (functions/<family>/family.ts). */
export type FamilyChannels<F extends Family> = { readonly [N in (typeof FAMILIES)[F][number]]: Channel<any> };

/** Whether its function must be given the installation's provider settings (on AWS: read the providers secret). */
export const readsProviderSettings = (channel: ChannelAddressing<any>): boolean => !!(channel.provider ?? channel.settings);

/** A channel from its addressing and its `send` (each channel's `sender.ts`). */
export function withSender<Target extends object>(
  addressing: ChannelAddressing<Target>,
  sender: Pick<Channel<Target>, 'send'>,
): Channel<Target> {
  return { ...addressing, ...sender };
}

/**
 * Path segments that name the structure of the channels' URLs (Slack's `services`, Discord's
 * `api/webhooks`, Zapier's `hooks/catch`, Google Chat's `v1/spaces/…/messages`, Teams'
 * `workflows/…/triggers/manual/paths/invoke`, push services' `send`...): shown as they are.
 * A word list, not a guess from a segment's shape: a token can be all lowercase letters.
 */
const STRUCTURE = new Set([
  '_local', // local mode's stand-ins: /_local/slack/services/…, /_local/webhook/…
  'slack',
  'api',
  'hook',
  'hooks',
  'webhook',
  'webhooks',
  'services',
  'catch',
  'spaces',
  'message',
  'messages',
  'workflows',
  'triggers',
  'manual',
  'paths',
  'invoke',
  'push',
  'wpush',
  'send',
  'fcm',
  'notify',
  'events',
  'v1',
  'v2',
  'v3',
]);

/** The first quarter of a value, at most 4 characters (enough to tell two apart), then ****. */
const prefixOf = (value: string): string => `${value.slice(0, Math.min(4, Math.floor(value.length / 4)))}****`;

/**
 * A URL as the API and the log show it: scheme, host and port, and the words of STRUCTURE,
 * as they are; every other path segment, every query value (and any query key that is not a
 * plain name), the fragment and any userinfo masked to a short prefix, since any of them can
 * be the token (`/services/T/B/<token>/`, `https://host/<token>`, `/hooks/<token>/receive`,
 * `?key=…&token=…`).
 */
export function maskUrl(raw: string): string {
  let masked = maskedUrls.get(raw);
  if (masked === undefined) {
    // Every log line of a delivery names its URL: parsing it each time was a tenth of an attempt's CPU.
    if (maskedUrls.size >= 1000) maskedUrls.clear();
    maskedUrls.set(raw, (masked = maskUrlNow(raw)));
  }
  return masked;
}

const maskedUrls = new Map<string, string>();

function maskUrlNow(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '****';
  }
  const path = url.pathname
    .split('/')
    .map((segment) => (segment === '' || STRUCTURE.has(segment) ? segment : prefixOf(segment)))
    .join('/');
  const query = [...url.searchParams]
    .map(([key, value]) => `${/^[A-Za-z][\w.-]{0,31}$/.test(key) ? key : prefixOf(key)}=${prefixOf(value)}`)
    .join('&');
  const auth = url.username || url.password ? '****@' : '';
  return `${url.protocol}//${auth}${url.host}${path}${query ? `?${query}` : ''}${url.hash ? '#****' : ''}`;
}

/** The installation's settings of a provider; a permanent failure, naming what to set, when there are none. */
export function providerSettings<K extends keyof ProviderSettings>(context: SendContext, name: K): NonNullable<ProviderSettings[K]> {
  const settings = context.providers?.[name];
  if (!settings)
    throw new PermanentDeliveryError(`${name} is not configured: set "${name}" in the provider settings (see README, "Channels")`);
  return settings as NonNullable<ProviderSettings[K]>;
}

/** At most `max` UTF-16 units (what provider limits count), an ellipsis marking a cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never half a surrogate pair
  return `${cut}…`;
}

/** Text for providers that take a little HTML (Google Chat's cards, Telegram): the event's text must not become markup. */
export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `@channel`, `@all`, `@here`, `@everyone` from an event's text must not ping a whole chat room. */
export function defuseMentions(text: string): string {
  return text.replace(/@(channel|all|here|everyone)\b/gi, '@\u200b$1');
}

/** The first characters of a secret recipient (a token, a key), enough to tell two apart. */
export const maskSecret = (secret: string): string => `${secret.slice(0, 4)}****`;

/** A channel whose recipient is the URL it posts to, which is a secret (a webhook): shown masked. */
export const urlRecipient = {
  recipients: (target: { url: string }): string[] => [target.url],
  endpoints: (target: { url: string }) => [{ field: 'url', url: target.url }],
  maskTarget: <T extends { url: string }>(target: T): T => ({ ...target, url: maskUrl(target.url) }),
  maskRecipient: maskUrl,
};
