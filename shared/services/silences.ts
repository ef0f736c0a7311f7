import { isActive, matcherProblems, matchesAll, type Silence, type SilenceMatcher } from '../core/silences.js';
import type { HeraldEvent } from '../core/types.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { SilenceInputBody } from '../schemas/silence.js';
import { getApp } from './apps.js';
import { patternCompiler, patternsOf } from './silence-patterns.js';
import { byOf, type Principal } from './auth.js';
import type { ApiDeps, HeraldDeps } from './deps.js';
import { ingestEvent, type IngestDeps } from './ingest.js';
import type { SilenceEndTimer } from '../core/ports.js';
import { createHash } from 'node:crypto';

/**
 * Silences (Alertmanager's): an event that every matcher of an active silence matches is
 * recorded `suppressed` with reason `silenced: <id>` and sent to nobody (the ingest step is
 * in services/ingest.ts). An app's, or global (`*`: every app). Created, listed, shown,
 * previewed, and ended early; ingest instances read them with the notifiers (cached 30 s).
 */

/** A global silence's app. */
export const GLOBAL = '*';

export type ShownSilence = Silence & { state: 'pending' | 'active' | 'expired'; silenced: number };

/** How many of the app's latest events a preview reads. */
const PREVIEW_EVENTS = 200;

export async function createSilence(deps: ApiDeps, appId: string, input: SilenceInputBody, principal: Principal): Promise<ShownSilence> {
  if (appId !== GLOBAL) await getApp(deps, appId);
  const now = deps.clock();
  const silence: Silence = {
    id: newId('sil'),
    appId,
    matchers: await checkedMatchers(input.matchers),
    startsAt: input.startsAt ? new Date(input.startsAt).toISOString() : now.toISOString(),
    endsAt: new Date(input.endsAt).toISOString(),
    comment: input.comment,
    createdBy: byOf(input.by, principal),
    createdAt: now.toISOString(),
  };
  if (silence.endsAt <= silence.startsAt)
    throw new ValidationError('The silence ends before it starts', [{ path: 'endsAt', message: 'must be after startsAt' }]);
  if (Date.parse(silence.endsAt) <= now.getTime())
    throw new ValidationError('The silence has ended already', [{ path: 'endsAt', message: 'must be in the future' }]);
  await deps.silences.put(silence);
  deps.routing.invalidate(appId);
  // When it ends, the failures it held that are still failing are told.
  await deps.timers.set([{ timer: { kind: 'silence-end', appId, silenceId: silence.id }, at: new Date(silence.endsAt) }]);
  return shown(silence, now);
}

export async function listSilences(deps: ApiDeps, appId: string): Promise<ShownSilence[]> {
  if (appId !== GLOBAL) await getApp(deps, appId);
  const now = deps.clock();
  return (await deps.silences.list(appId)).map((s) => shown(s, now));
}

export async function getSilence(deps: ApiDeps, appId: string, silenceId: string): Promise<ShownSilence> {
  const silence = await deps.silences.get(appId, silenceId);
  if (!silence) throw new NotFoundError(`Silence ${silenceId}`);
  return shown(silence, deps.clock());
}

/** DELETE: the silence ends now (kept, listed as expired). 404 when there is none, or it has ended already. */
export async function expireSilence(deps: ApiDeps, appId: string, silenceId: string): Promise<void> {
  if (!(await deps.silences.expire(appId, silenceId, deps.clock()))) throw new NotFoundError(`Active or pending silence ${silenceId}`);
  deps.routing.invalidate(appId);
  await deps.timers.set([{ timer: { kind: 'silence-end', appId, silenceId }, at: deps.clock() }]);
}

/** Which of the app's latest events these matchers would have silenced (as if the silence had been active then). */
export async function previewSilence(
  deps: ApiDeps,
  appId: string,
  matchers: SilenceMatcher[],
): Promise<{ events: Pick<HeraldEvent, 'id' | 'type' | 'title' | 'severity' | 'receivedAt'>[]; scanned: number }> {
  await getApp(deps, appId);
  const checked = await checkedMatchers(matchers);
  const page = await deps.events.list(appId, { limit: PREVIEW_EVENTS });
  const patterns = await patternsOf([{ matchers: checked }]);
  const events = page.items
    .filter((e) => matchesAll(checked, e, patterns))
    .map(({ id, type, title, severity, receivedAt }) => ({ id, type, title, severity, receivedAt }));
  return { events, scanned: page.items.length };
}

async function checkedMatchers(matchers: SilenceMatcher[]): Promise<SilenceMatcher[]> {
  const usesPatterns = matchers.some((m) => m.op === '=~' || m.op === '!~');
  const problems = matcherProblems(matchers, usesPatterns ? await patternCompiler() : NO_PATTERNS);
  if (problems.length)
    throw new ValidationError(
      'The silence would not work as written',
      problems.map((p) => ({ path: p.index === undefined ? 'matchers' : `matchers.${p.index}`, message: p.message })),
    );
  return matchers.map(({ field, op, value }) => ({ field, op, value }));
}

/** Matchers without patterns compile none. */
const NO_PATTERNS = (): never => {
  throw new Error('no pattern expected');
};

function shown(silence: Silence, now: Date): ShownSilence {
  const state = isActive(silence, now)
    ? 'active'
    : Date.parse(silence.startsAt) > now.getTime() && !silence.expiredAt
      ? 'pending'
      : 'expired';
  return { ...silence, state, silenced: silence.silenced ?? 0 };
}

export type SilenceEndDeps = IngestDeps & Pick<HeraldDeps, 'silences' | 'timers'>;

/**
 * A silence ended (its time came, or it was expired early): each failure it held is told now
 * if its check is still failing, as Alertmanager sends what is still firing when a silence
 * ends. The held failure is posted again as an event of its own (its check's state was left
 * as it was, so it is a change, unless a later report told it already: then nobody is told
 * twice). Posted under an idempotency key per silence and check: a timer that fires twice
 * tells it once. A silence still running (a timer set early) is set again for its end.
 */
export async function endSilence(deps: SilenceEndDeps, timer: SilenceEndTimer, now: Date): Promise<void> {
  const silence = await deps.silences.get(timer.appId, timer.silenceId);
  if (!silence) return;
  const end = Date.parse(silence.expiredAt ?? silence.endsAt);
  if (end > now.getTime() + 1000) {
    await deps.timers.set([{ timer, at: new Date(end) }]);
    return;
  }
  for (const held of await deps.silences.heldFailures(timer.appId, timer.silenceId)) {
    const event = await deps.events.get(held.appId, held.eventId);
    if (!event) continue; // gone with its retention
    const { type, severity, title, message, data, source, fingerprint } = event;
    const key = `silence-end:${silence.id}:${createHash('sha256').update(held.stateKey).digest('base64url').slice(0, 22)}`;
    await ingestEvent(
      deps,
      held.appId,
      {
        type,
        severity,
        ...(title ? { title } : {}),
        ...(message ? { message } : {}),
        ...(data ? { data } : {}),
        ...(source ? { source } : {}),
        ...(fingerprint ? { fingerprint } : {}),
      },
      key,
    ).catch((err: unknown) => {
      // Its app deleted meanwhile: nobody to tell. Anything else comes back with the timer.
      if (!(err instanceof NotFoundError)) throw err;
    });
  }
}
