import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fetchWithTimeout, HeraldApi } from '@herald/client';
import { UsageError } from './failure.js';
import { createOutput, type Output } from './output.js';
import { readProfile } from './profile.js';

/** The options every command takes (see main.ts). */
export interface GlobalOptions {
  url?: string;
  key?: string;
  profile: string;
  json: boolean;
  color: boolean;
}

/** This command line's version, from its package.json (dist/ sits beside it). */
export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
export const USER_AGENT = `herald-cli/${VERSION}`;

/** What a command runs with: where Herald is, its key, the typed API, and the printer. */
export class Context {
  readonly out: Output;
  readonly url: string;
  readonly key: string;
  readonly api: HeraldApi;
  private whoami: Promise<{ scope: string; appId?: string }> | undefined;

  constructor(readonly options: GlobalOptions) {
    this.out = createOutput({ json: options.json, color: options.color });
    // A flag, else the environment, else the profile `herald login` saved.
    const profile = options.url && options.key ? undefined : readProfile(options.profile);
    const url = options.url ?? process.env['HERALD_URL'] ?? profile?.url;
    // The profile's key goes to the profile's URL only, never to another server --url or HERALD_URL names.
    const profileKey = profile && url && sameUrl(url, profile.url) ? profile.key : undefined;
    const key = options.key ?? process.env['HERALD_KEY'] ?? profileKey;
    if (!url) throw new UsageError("Herald's URL is not set: --url, HERALD_URL, or `herald login`");
    if (!key)
      throw new UsageError(
        profile
          ? `no key for ${url}: --key or HERALD_KEY (the profile's key goes to ${profile.url} only)`
          : 'no key: --key, HERALD_KEY, or `herald login`',
      );
    this.url = url;
    this.key = key;
    this.api = apiAt(url, key);
  }

  /** The key's scope and app, asked once. */
  identity(): Promise<{ scope: string; appId?: string }> {
    this.whoami ??= this.api.get('/v1/whoami', {});
    return this.whoami;
  }

  /** The app a command is about: --app, else HERALD_APP, else the app of an ingest key. */
  async app(flag: string | undefined): Promise<string> {
    const named = flag ?? process.env['HERALD_APP'];
    if (named) return named;
    const who = await this.identity();
    if (who.appId) return who.appId;
    throw new UsageError('which app? --app ID or HERALD_APP (an ingest key names its own app)');
  }
}

/** The same URL, with a trailing slash or without. */
const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** The typed API, with a deadline on each call (a notifier test may take 30 s) and unreachable as its own error. */
export function apiAt(url: string, key: string): HeraldApi {
  return new HeraldApi({ url, key, headers: { 'user-agent': USER_AGENT }, fetch: fetchWithTimeout(fetch, 60_000) });
}

/** The context of a command: its own options merged with the global ones. */
export function contextOf(command: Command): Context {
  return new Context(command.optsWithGlobals<GlobalOptions>());
}

/** A printer alone, for the commands that need no Herald (verify). */
export function outputOf(command: Command): Output {
  const { json, color } = command.optsWithGlobals<GlobalOptions>();
  return createOutput({ json, color });
}

/** A JSON option: inline JSON, `@file.json`, or `@-` for standard input. */
export function jsonOption(value: string, name: string): unknown {
  const text = value.startsWith('@') ? readInput(value.slice(1), name) : value;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${name} is not JSON: ${(error as Error).message}`);
  }
}

/** A file an option names (`-` for standard input): a usage error, naming it, when it cannot be read. */
export function readInput(path: string, name: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new UsageError(`${name}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** A JSON object option (data, target, metadata). */
export function objectOption(value: string, name: string): Record<string, unknown> {
  const parsed = jsonOption(value, name);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${name} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

/** A time option: an ISO time, or how long ago (`90s`, `15m`, `1h`, `2d`, `1w`), as an ISO time. */
export const timeOption = (value: string, name: string, now = Date.now()): string =>
  timeAt(value, name, now, -1, 'how long ago (90s, 15m, 1h, 2d, 1w)');

/** A time to come: an ISO time, or in how long (`90m`, `2h`, `1h30m`, `3d`), as an ISO time. */
export const futureTimeOption = (value: string, name: string, now = Date.now()): string =>
  timeAt(value, name, now, 1, 'in how long (90m, 2h, 1h30m, 3d, 1w)');

/** An ISO 8601 date or time (2026-11-24, 2026-11-24T10:00:00Z, 2026-11-24T11:00+01:00): not `90`, which Date.parse reads as 1990. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/i;

/** Whether a value is an ISO 8601 date or time that is a real one (not `2`, not 2026-13-01). */
export const isIsoTime = (value: string): boolean => ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));

function timeAt(value: string, name: string, now: number, direction: 1 | -1, durations: string): string {
  const duration = durationMs(value);
  if (duration !== undefined) return new Date(now + direction * duration).toISOString();
  if (isIsoTime(value)) return new Date(value).toISOString();
  throw new UsageError(`${name} ${value} is not a time: use an ISO time (2026-11-24T10:00:00Z) or ${durations}`);
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `90s`, `2h`, `1h30m` (as amtool's --duration) in milliseconds; undefined when it is not a duration. */
export function durationMs(value: string): number | undefined {
  if (!/^(\d+[smhdw])+$/.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)([smhdw])/g)) total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total;
}

/** --limit: a whole number from 1 to 100, as the API's lists take; anything else (abc, 0, 1000) is a usage error naming it. */
export function limitOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100) throw new UsageError(`--limit ${value}: a whole number from 1 to 100`);
  return n;
}

/** A repeated option, each value as given (a JSON object or a matcher may hold commas). */
export const repeatOption = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A comma-separated or repeated list option. */
export function listOption(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}
