import { entriesOf, namedContacts, namedNotifiers, type NotifyEntry } from '../core/escalation.js';
import type { Notifier } from '../core/types.js';
import { NotifierInUseError, ValidationError, type FieldIssue } from '../errors.js';
import type { NotifierInput } from '../schemas/notifier.js';
import { namedHere, notHere } from './contacts.js';
import { namersOf } from './named-by.js';
import type { ApiDeps } from './deps.js';

/**
 * The notifiers an escalation policy's steps and a failover name must be there (the app's
 * own, or global ones; a global notifier names global ones only), reach people themselves (a policy
 * names no policy), not be the notifier itself, and a failover must not lead back to it
 * (A fails over to B, which fails over to A). Read from the store, not the routing cache: a
 * notifier made a moment ago on another instance is found.
 */
export async function checkReferences(
  deps: Pick<ApiDeps, 'notifiers' | 'contacts'>,
  appId: string,
  id: string | undefined,
  input: NotifierInput,
) {
  if (!input.escalation && !input.failover) return;
  const [own, global] = await Promise.all([
    deps.notifiers.routingView(appId),
    appId === '*' ? Promise.resolve(undefined) : deps.notifiers.routingView('*'),
  ]);
  const scope = [...own.notifiers, ...(global?.notifiers ?? [])];
  const issues: FieldIssue[] = [];
  const entries = entriesOf(input);
  const named = namedContacts(entries);
  const known = await namedHere(deps, appId, { contacts: named.contacts.length > 0, groups: named.groups.length > 0 });
  const check = (entry: NotifyEntry, path: string) => {
    if ('contact' in entry) {
      if (!known.has(entry.contact)) issues.push({ path: `${path}.contact`, message: notHere(appId, 'contact') });
    } else if ('group' in entry) {
      if (!known.has(entry.group)) issues.push({ path: `${path}.group`, message: notHere(appId, 'contact group') });
    } else {
      const issue = entryIssue(scope, id, entry);
      if (issue) issues.push({ path: `${path}.notifier`, message: issue });
    }
  };
  input.escalation?.steps.forEach((step, i) => step.notify.forEach((entry, j) => check(entry, `escalation.steps.${i}.notify.${j}`)));
  input.failover?.to.forEach((entry, j) => check(entry, `failover.to.${j}`));
  const loop = id && input.failover && !issues.length ? failoverLoop(scope, id, namedNotifiers(input.failover.to)) : undefined;
  if (loop) issues.push({ path: 'failover.to', message: `makes a loop: ${loop.join(' → ')}` });
  if (issues.length) throw new ValidationError('The notifier names notifiers, contacts or groups it cannot use', issues);
}

/**
 * 409 while an escalation policy's step or another notifier's failover names the notifier (its
 * app's notifiers, or every app's for a global one): deleted, it would be skipped silently.
 */
export async function refuseNamed(deps: ApiDeps, notifier: Notifier): Promise<void> {
  const namers = await namersOf(deps, notifier.appId, notifier.id);
  if (namers.length)
    throw new NotifierInUseError(
      `The notifier "${notifier.name}" is named by ${namers.map((n) => n.message).join(', ')}: take it out of them first`,
      namers,
    );
}

function entryIssue(scope: readonly Notifier[], id: string | undefined, entry: { notifier: string }): string | undefined {
  if (entry.notifier === id) return 'is this notifier itself';
  const named = scope.find((n) => n.id === entry.notifier);
  if (!named) return `no notifier ${entry.notifier} here (the app's own, or a global one)`;
  if (named.escalation) return `${entry.notifier} escalates itself: name notifiers with a channel or contacts`;
  return undefined;
}

/** The path back to `id` through the stored failovers, starting at the ones it names now; undefined when there is none. */
function failoverLoop(scope: readonly Notifier[], id: string, next: string[]): string[] | undefined {
  const byId = new Map(scope.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const walk = (path: string[]): string[] | undefined => {
    const at = path[path.length - 1] as string;
    if (at === id && path.length > 1) return path;
    if (seen.has(at)) return undefined;
    seen.add(at);
    const onward = at === id ? next : namedNotifiers(byId.get(at)?.failover?.to ?? []);
    for (const n of onward) {
      const found = walk([...path, n]);
      if (found) return found;
    }
    return undefined;
  };
  return walk([id]);
}
