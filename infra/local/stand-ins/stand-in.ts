import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderSettings } from '../../../shared/providers.js';
import { keptValue, type KeptValue } from '../kept.js';

/** A request as a stand-in sees it: the path below `/_local/<provider>`. */
export interface StandInRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

/** What a stand-in answers; `delivered` (what reached the recipient) goes to its outbox. */
export interface StandInAnswer {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  delivered?: Record<string, unknown>;
}

/**
 * A local stand-in for a provider's API: it checks a request the way the real API does
 * (path, where the token goes, body shape, length limits) and answers the way it does,
 * errors and rate limits included. The credentials it accepts are local mode's settings.
 */
export interface StandIn {
  provider: string;
  handle(req: StandInRequest, settings: ProviderSettings): StandInAnswer;
}

/** Where a stand-in keeps state that must outlive a restart, by provider (in memory unless local mode has a data dir). */
export type StateOf = <T>(provider: string) => KeptValue<T>;

export const inMemory: StateOf = () => keptValue();

/** Ends a stand-in's handling with an answer (its refusals read as the provider's own). */
export class Refusal extends Error {
  constructor(readonly answer: StandInAnswer) {
    super(`HTTP ${answer.status}`);
  }
}

export const refuse = (status: number, json: unknown, headers?: Record<string, string>): never => {
  throw new Refusal({ status, json, ...(headers ? { headers } : {}) });
};

/** A refusal in plain text (Slack answers its error codes so). */
export const refuseText = (status: number, text: string, headers?: Record<string, string>): never => {
  throw new Refusal({ status, text, ...(headers ? { headers } : {}) });
};

/** The body as a JSON object, or the provider's answer to a body that is not one. */
export function jsonOf(req: StandInRequest, onError: () => never): Record<string, any> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) onError();
  try {
    const parsed: unknown = JSON.parse(req.raw.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, any>;
  } catch {
    // below
  }
  return onError();
}

/** An `application/x-www-form-urlencoded` body. */
export function formOf(req: StandInRequest, onError: () => never): URLSearchParams {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) onError();
  return new URLSearchParams(req.raw.toString('utf8'));
}

export const isString = (v: unknown, max = Infinity, min = 1): v is string => typeof v === 'string' && v.length >= min && v.length <= max;

/** `Authorization: Bearer <token>` (or another scheme). */
export const bearer = (req: StandInRequest, scheme = 'Bearer'): string | undefined => {
  const header = String(req.headers['authorization'] ?? '');
  return header.startsWith(`${scheme} `) ? header.slice(scheme.length + 1) : undefined;
};

/** A sliding window per key: the provider's rate limit. Answers the wait in ms when over it. */
export function windowLimit(limit: number, windowMs: number) {
  const hits = new Map<string, number[]>();
  return (key: string): number | undefined => {
    const now = Date.now();
    const recent = (hits.get(key) ?? []).filter((t) => now - t < windowMs);
    if (recent.length >= limit) return Math.max(1, (recent[0] as number) + windowMs - now);
    recent.push(now);
    hits.set(key, recent);
    return undefined;
  };
}

/**
 * A token bucket per key (Slack's "1 per second, short bursts allowed"): `burst` tokens, one
 * more every 1/`perSecond` s. Answers the wait in ms when the key has no token, else takes one.
 */
export function tokenBucket(perSecond: number, burst: number, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (key: string): number | undefined => {
    const t = now();
    const last = buckets.get(key) ?? { tokens: burst, at: t };
    const tokens = Math.min(burst, last.tokens + ((t - last.at) / 1000) * perSecond);
    if (tokens < 1) {
      buckets.set(key, { tokens, at: t });
      return Math.max(1, Math.ceil(((1 - tokens) / perSecond) * 1000));
    }
    buckets.set(key, { tokens: tokens - 1, at: t });
    return undefined;
  };
}
