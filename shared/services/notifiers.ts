import type { Page, PageRequest } from '../core/ports.js';
import type { Notifier } from '../core/types.js';
import { ADDRESSING } from '../channels/addressing.js';
import { maskedValue, unmasked } from '../channels/masked.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { generateWebhookSecret, newId } from '../ids.js';
import { NotifierCreate, type NotifierInput } from '../schemas/notifier.js';
import { issuesOf } from '../schemas/issues.js';
import type { ApiDeps } from './deps.js';
import { getApp } from './apps.js';
import { announce } from './lifecycle.js';
import { checkReferences, refuseNamed } from './notifier-references.js';
import { sendTestNotification } from './notifier-test.js';
import { checkNamed } from './contacts.js';
import { checkChannelTarget } from './channel-targets.js';
import { mergePatch } from './merge-patch.js';

/** Notifiers of an app, or global ones (`appId` `*`). What leaves here has its secrets masked. */

/**
 * A webhook notifier created without a secret gets a generated one, returned here once
 * (the notifier itself shows it masked, like every secret). With `confirm`, a test message
 * goes out at once (PM2's confirmation); its outcome is in the delivery log.
 */
export async function createNotifier(
  deps: ApiDeps,
  appId: string,
  input: NotifierInput,
  options: { confirm?: boolean } = {},
): Promise<{ notifier: Notifier; secret?: string }> {
  if (appId !== '*') await getApp(deps, appId);
  refuseMasked(input.target);
  await checkTarget(deps, appId, input);
  await checkReferences(deps, appId, undefined, input);
  const now = deps.clock().toISOString();
  const secret = input.channel === 'webhook' && !input.target['secret'] ? generateWebhookSecret() : undefined;
  const target = secret ? { ...input.target, secret } : input.target;
  const notifier: Notifier = {
    id: newId('ntf'),
    appId,
    ...input,
    ...(target ? { target } : {}),
    default: false,
    createdAt: now,
    updatedAt: now,
  };
  await deps.notifiers.put(notifier);
  deps.routing.invalidate(appId);
  await announceChange(deps, notifier, 'notifier_added');
  if (options.confirm && notifier.channel) await sendTestNotification(deps, appId, notifier.id);
  return { notifier: masked(notifier), ...(secret ? { secret } : {}) };
}

/** A new webhook secret, returned once; the old one still signs for 24 hours (two `v1,` signatures). */
export async function rotateWebhookSecret(deps: ApiDeps, appId: string, id: string): Promise<{ secret: string }> {
  const current = await load(deps, appId, id);
  if (current.channel !== 'webhook')
    throw new ValidationError('Only webhook notifiers have a secret', [{ path: 'channel', message: 'is not webhook' }]);
  const secret = generateWebhookSecret();
  const target = withRotatedSecret(current.target ?? {}, secret, deps.clock());
  await deps.notifiers.put({ ...current, target, updatedAt: deps.clock().toISOString() });
  deps.routing.invalidate(appId);
  return { secret };
}

const ROTATION_OVERLAP_MS = 24 * 3600_000;

/** The target with a new secret; the one it replaces kept for 24 h, expired ones dropped. */
function withRotatedSecret(target: Record<string, unknown>, secret: string, now: Date): Record<string, unknown> {
  const old = target['secret'];
  const previous = ((target['previousSecrets'] as { secret: string; until: string }[] | undefined) ?? []).filter(
    (p) => Date.parse(p.until) > now.getTime(),
  );
  if (typeof old === 'string' && old !== secret)
    previous.unshift({ secret: old, until: new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString() });
  return { ...target, secret, ...(previous.length ? { previousSecrets: previous.slice(0, 5) } : {}) };
}

export async function getNotifier(deps: ApiDeps, appId: string, id: string): Promise<Notifier> {
  return masked(await load(deps, appId, id));
}

export async function listNotifiers(deps: ApiDeps, appId: string, page: PageRequest): Promise<Page<Notifier>> {
  if (appId !== '*') await getApp(deps, appId);
  const result = await deps.notifiers.list(appId, page);
  return { ...result, items: result.items.map(masked) };
}

/**
 * A JSON merge patch: objects merge (so a secret left out of `target` is kept), `null`
 * removes, and the result must be a valid notifier as a whole.
 */
export async function updateNotifier(deps: ApiDeps, appId: string, id: string, patch: Record<string, unknown>): Promise<Notifier> {
  const current = await load(deps, appId, id);
  const { id: _id, appId: _appId, default: isDefault, createdAt, updatedAt: _u, failingSince, disabledReason, ...editable } = current;
  const sameChannel = patch['channel'] === undefined || patch['channel'] === current.channel;
  const target = sameChannel ? editable.target : undefined;
  // A target sent back as GET showed it keeps the secrets its masks stand for; any other mask is refused.
  const sent = sameChannel ? unmasked(patch['target'], current.target, masked(current).target) : patch['target'];
  refuseMasked(sent);
  const merged = mergePatch({ ...editable, ...(target ? { target } : {}) }, { ...patch, ...(sent !== undefined ? { target: sent } : {}) });
  const parsed = await NotifierCreate.safeParseAsync(merged); // async: a phone number is checked by a library loaded on first use
  if (!parsed.success) throw new ValidationError('The notifier would not be valid', issuesOf(parsed.error));
  const input = parsed.data as NotifierInput;
  await checkTarget(deps, appId, input);
  await checkReferences(deps, appId, id, input);
  // Enabling it again starts afresh: its run of failures is forgotten.
  const reEnabled = input.enabled && !current.enabled;
  // A secret set by the patch replaces the old one gently: the old one still signs for 24 h.
  const newSecret = input.target?.['secret'];
  if (input.channel === 'webhook' && typeof newSecret === 'string' && newSecret !== current.target?.['secret']) {
    input.target = withRotatedSecret({ ...input.target, secret: current.target?.['secret'] }, newSecret, deps.clock());
  }
  const updated: Notifier = {
    id,
    appId,
    ...input,
    ...(failingSince && !reEnabled ? { failingSince } : {}),
    ...(disabledReason && !input.enabled ? { disabledReason } : {}),
    default: isDefault,
    createdAt,
    updatedAt: deps.clock().toISOString(),
  };
  await deps.notifiers.put(updated);
  deps.routing.invalidate(appId);
  await announceChange(deps, updated, 'notifier_edited');
  return masked(updated);
}

/** 409 `notifier_in_use` while a policy's step or a failover names it (refuseNamed). */
export async function deleteNotifier(deps: ApiDeps, appId: string, id: string): Promise<void> {
  const notifier = await load(deps, appId, id);
  await refuseNamed(deps, notifier);
  await deps.notifiers.delete(appId, id);
  deps.routing.invalidate(appId);
  await announceChange(deps, notifier, 'notifier_removed');
}

/**
 * A notifier's settings that go together: grouping or a digest, a digest's schedule, and whom
 * it reaches (a channel's target Herald can send to, or contacts and groups it may name).
 */
async function checkTarget(deps: ApiDeps, appId: string, input: NotifierInput): Promise<void> {
  if (input.grouping && input.digest)
    throw new ValidationError('A notifier groups its events or digests them, not both', [
      { path: 'digest', message: 'remove grouping, or this' },
    ]);
  if (input.digest && 'schedule' in input.digest && !(await isCronPattern(input.digest.schedule)))
    throw new ValidationError('The digest would not be valid', [
      { path: 'digest.schedule', message: 'must be a cron pattern such as "0 9 * * 1-5" (minute hour day month weekday)' },
    ]);
  if (input.escalation) {
    // An escalation policy: its steps' notifiers send (and group, digest, throttle) as they do.
    const own = input.grouping ? 'grouping' : input.digest ? 'digest' : undefined;
    if (own)
      throw new ValidationError('An escalation policy sends through its steps’ notifiers', [
        { path: own, message: 'is for a notifier with a channel or contacts: set it on the notifiers the steps name' },
      ]);
    return;
  }
  if (input.channel) await checkChannelTarget(deps, input.channel, input.target);
  else await checkNamed(deps, appId, input);
}

async function load(deps: ApiDeps, appId: string, id: string): Promise<Notifier> {
  const notifier = await deps.notifiers.get(appId, id);
  if (!notifier) throw new NotFoundError(`Notifier ${id}`);
  return notifier;
}

function refuseMasked(target: unknown): void {
  const issue = maskedValue(target);
  if (issue) throw new ValidationError('The notifier would not be valid', [issue]);
}

export function masked(notifier: Notifier): Notifier {
  if (!notifier.channel || !notifier.target) return notifier;
  return { ...notifier, target: ADDRESSING[notifier.channel].maskTarget(notifier.target as never) };
}

/** Tell the app's notifiers of a change to one of them (global notifiers belong to no app). */
async function announceChange(
  deps: ApiDeps,
  notifier: Notifier,
  type: 'notifier_added' | 'notifier_edited' | 'notifier_removed',
): Promise<void> {
  if (notifier.appId === '*') return;
  const verb = { notifier_added: 'added', notifier_edited: 'changed', notifier_removed: 'removed' }[type];
  await announce(deps, notifier.appId, {
    type,
    title: `Notifier "${notifier.name}" ${verb}`,
    data: { notifierId: notifier.id, name: notifier.name, ...(notifier.channel ? { channel: notifier.channel } : {}) },
  });
}

/** A cron pattern croner reads (5 fields, or 6 with seconds first); croner is loaded here only, not at a cold start. */
async function isCronPattern(pattern: string): Promise<boolean> {
  const { Cron } = await import('croner');
  try {
    new Cron(pattern, { paused: true });
    return true;
  } catch {
    return false;
  }
}
