import { idsNamedBy } from '../core/escalation.js';
import { INSTALLATION } from '../core/types.js';
import type { FieldIssue } from '../errors.js';
import type { ApiDeps } from './deps.js';

/**
 * Who names `id` (a contact, a contact group or a notifier): the groups that list it as a
 * member and the notifiers that name it (to reach, in an escalation step or in a failover),
 * of its app, or of every app for an installation-wide one. What deleting it would leave
 * naming nothing: the 409s of contacts and notifiers name them.
 */
export async function namersOf(deps: Pick<ApiDeps, 'apps' | 'contacts' | 'notifiers'>, appId: string, id: string): Promise<FieldIssue[]> {
  const scopes = appId === INSTALLATION.id ? [INSTALLATION.id, ...(await allAppIds(deps))] : [appId];
  const found = await Promise.all(
    scopes.map(async (scope) => {
      const [groups, { notifiers }] = await Promise.all([deps.contacts.listGroups(scope), deps.notifiers.routingView(scope)]);
      return [
        ...groups.filter((g) => g.members.includes(id)).map((g) => ({ path: g.id, message: `the group "${g.name}" (${g.id})` })),
        ...notifiers
          .filter((n) => n.id !== id && idsNamedBy(n).includes(id))
          .map((n) => ({ path: n.id, message: `the notifier "${n.name}" (${n.id})` })),
      ];
    }),
  );
  return found.flat();
}

async function allAppIds(deps: Pick<ApiDeps, 'apps'>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.apps.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((a) => a.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}
