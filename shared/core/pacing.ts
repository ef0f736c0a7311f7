import { createHash } from 'node:crypto';
import type { ProviderSettings } from '../providers.js';
import { familyOf, type ChannelName, type DeliveryMessage } from './types.js';

/*
 * Pacing (issue 18): a bucket per destination (a provider, its credential and its target),
 * so that Herald sends no faster than the provider takes, instead of learning the limit from
 * a 429 that spends a retry. Pure: the bucket's state is the services' (services/pacing.ts,
 * a PacingStore port), shared by every function instance.
 *
 * The bucket is GCRA (the generic cell rate algorithm): one number per destination, its
 * "theoretical arrival time" (tat). A delivery reserves the next slot with one conditional
 * write of a later tat, so a crowd of deliveries waiting for one destination each gets a
 * slot of its own instead of all trying again at the next second; and the backlog is
 * (tat - now) / interval, read from the same number.
 */

/** A destination's pace: sends per second on average, and how many may go at once after a quiet spell. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/**
 * The providers' published limits, the defaults. Email (SES) is paced only at the rate the
 * provider settings give (`ses.rate`): AWS publishes no production rate ("varies based on
 * your specific use case", 1/s in the sandbox: docs.aws.amazon.com/ses/latest/dg/quotas.html).
 * Webhooks and the other channels are not paced unless their notifier sets a `rate`.
 */
export const DEFAULT_RATES: Partial<Record<ChannelName, Rate>> = {
  // "Posting messages: 1 per second, short bursts >1 allowed" (api.slack.com/docs/rate-limits), per incoming webhook.
  slack: { perSecond: 1, burst: 3 },
  // Discord: 5 requests per 2 s per webhook (its X-RateLimit-* headers; discord.com/developers/docs/topics/rate-limits).
  discord: { perSecond: 2.5, burst: 5 },
  // Telegram's Bot FAQ: "avoid sending more than one message per second" in a chat (core.telegram.org/bots/faq).
  telegram: { perSecond: 1, burst: 1 },
  // Twilio: "one message segment per second" per long-code sender (twilio.com/help/faq/sms/how-quickly-can-i-send-sms-messages).
  twilio_sms: { perSecond: 1, burst: 1 },
  twilio_whatsapp: { perSecond: 1, burst: 1 },
  twilio_voice: { perSecond: 1, burst: 1 },
  // PagerDuty Events API: 120 events a minute, enforced per integration (routing) key (PagerDuty's answer on its community forum).
  pagerduty: { perSecond: 2, burst: 2 },
};

/**
 * The rates a notifier or the provider settings may give: one an hour at the slowest (a
 * slower one holds deliveries for days), 1000/s at the fastest (beyond what a provider takes
 * from one account).
 */
export const RATE_BOUNDS = { minPerSecond: 1 / 3600, maxPerSecond: 1000 } as const;

/** Telegram's Bot FAQ: a bot sends at most 20 messages a minute to one group (group chats have negative ids). */
export const TELEGRAM_GROUP_RATE: Rate = { perSecond: 20 / 60, burst: 1 };

/**
 * The margin kept against network jitter, so that a strict bucket at the provider never
 * answers 429: Herald spaces its sends 5 % further apart than the provider's rate, and keeps
 * one of the provider's burst unused (a burst of 3 is paced as 2). Two sends that reach the
 * provider closer together than they left (one slowed on the way, a queue's delay rounded
 * to the second) then still find a token there.
 */
export const JITTER_MARGIN = { spacing: 1.05, burstKept: 1 } as const;

/** The bucket as Herald runs it: the interval between slots, and how far ahead of its slot a burst may go (ms). */
export interface Pace {
  intervalMs: number;
  toleranceMs: number;
}

export function paceOf(rate: Rate): Pace {
  const intervalMs = Math.ceil((1000 / rate.perSecond) * JITTER_MARGIN.spacing);
  const burst = Math.max(1, Math.floor(rate.burst) - JITTER_MARGIN.burstKept);
  return { intervalMs, toleranceMs: (burst - 1) * intervalMs };
}

/** A slot reserved: when the delivery may go, and the bucket's new tat (epoch ms). */
export interface Slot {
  at: number;
  tat: number;
}

/** GCRA: the next slot from `tat` (0: an idle bucket) at `now`, all in epoch ms. */
export function nextSlot(tat: number, now: number, pace: Pace): Slot {
  const start = Math.max(tat, now);
  return { at: Math.max(now, start - pace.toleranceMs), tat: start + pace.intervalMs };
}

/** How many deliveries hold a slot after `now` (the next free one is at tat - tolerance): the destination's backlog. */
export const backlogOf = (tat: number, now: number, pace: Pace): number =>
  Math.max(0, Math.ceil((tat - pace.toleranceMs - now) / pace.intervalMs) - 1);

/** The tat that makes the next slot no sooner than `until` (a 429's Retry-After, Discord's reset). */
export const tatHeldUntil = (until: number, pace: Pace): number => until + pace.toleranceMs;

/** When waiting deliveries of a destination are coalesced: more than this many waiting. */
export const COALESCE_AFTER = 20;

/** Channels whose waiting notifications are never merged: incidents (each its own alert) and webhooks (a program reads them). */
export const mayCoalesce = (channel: ChannelName): boolean => familyOf(channel) !== 'incident' && channel !== 'webhook';

/** Where a delivery goes, as a provider counts it, and at what rate: undefined when it is not paced. */
export interface Destination {
  /** A hash: the key names a webhook URL or a routing key, which are secrets. */
  key: string;
  rate: Rate;
}

/** The installation's own rates, from the provider settings' `pacing` entry (by channel) and `ses.rate` (email). */
export function settingsRateOf(channel: ChannelName, providers: ProviderSettings | undefined): Rate | undefined {
  const raw = channel === 'email' ? providers?.ses?.rate : (providers?.pacing as Record<string, string> | undefined)?.[channel];
  if (!raw) return undefined;
  // Parsed once (the settings were checked at start: providers.ts), not at every delivery.
  if (!settingsRates.has(raw)) settingsRates.set(raw, parseRate(raw));
  return settingsRates.get(raw);
}

/** The provider settings' rates, parsed: a few strings, read for the life of the process. */
const settingsRates = new Map<string, Rate | undefined>();

/**
 * The destination of a delivery and its rate: the notifier's own `rate`, else the provider
 * settings', else the provider's published default; undefined when none applies. A notifier's
 * own rate paces that notifier's deliveries in a bucket of their own (its id and rate in the
 * key): one notifier slowed to 1/min on the installation's SMS sender must not hold (and
 * coalesce) every other notifier's SMS through that sender.
 */
export function destinationOf(
  message: Pick<DeliveryMessage, 'delivery' | 'notifier'>,
  providers?: ProviderSettings,
): Destination | undefined {
  const { channel, recipient } = message.delivery;
  const own = message.notifier.rate;
  const telegramGroup = channel === 'telegram' && recipient.startsWith('-');
  const rate = own ?? settingsRateOf(channel, providers) ?? (telegramGroup ? TELEGRAM_GROUP_RATE : DEFAULT_RATES[channel]);
  // Most deliveries (webhooks, e-mail) are not paced: no key to make.
  if (!rate) return undefined;
  const provider = `${channel}\n${credentialOf(channel, providers)}\n${targetOf(channel, recipient)}`;
  return { key: hashOf(own ? `${provider}\n${message.notifier.id}\n${own.perSecond}/${own.burst}` : provider), rate };
}

/** The credential a provider counts under: a bot, a sender number, the SES account; none for a URL or a key (the target is it). */
function credentialOf(channel: ChannelName, providers: ProviderSettings | undefined): string {
  if (channel === 'telegram') return providers?.telegram?.botToken ?? '';
  if (channel === 'twilio_whatsapp') return providers?.twilio?.whatsappFrom ?? '';
  if (channel.startsWith('twilio_')) return providers?.twilio?.from ?? '';
  return '';
}

/** The target a provider counts: the account for email and SMS senders (every recipient shares it), the recipient otherwise. */
const targetOf = (channel: ChannelName, recipient: string): string =>
  channel === 'email' || channel === 'sms' || channel.startsWith('twilio_') ? '' : recipient;

const hashOf = (text: string): string => createHash('sha256').update(text).digest('base64url').slice(0, 32);

/** A coalesced notification's key: one destination, one recipient, one app (never one person's mail with another's). */
export const coalesceKeyOf = (destination: string, message: Pick<DeliveryMessage, 'delivery'>): string =>
  hashOf(`${destination}\n${message.delivery.recipient}\n${message.delivery.appId}`);

/** `14`, `14/s`, `20/min`, `1/s burst 3`: a rate as the provider settings write it. */
export function parseRate(raw: string): Rate | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|min|minute))?\s*(?:,?\s*burst\s+(\d+))?\s*$/i.exec(raw);
  if (!m) return undefined;
  const perSecond = Number(m[1]) / (m[2] && /^min/i.test(m[2]) ? 60 : 1);
  if (!(perSecond >= RATE_BOUNDS.minPerSecond && perSecond <= RATE_BOUNDS.maxPerSecond)) return undefined;
  return { perSecond, burst: m[3] ? Math.max(1, Number(m[3])) : Math.max(1, Math.floor(perSecond)) };
}
