import type { EntryOptions } from './entry-list.js';
import { useContacts } from './use-contacts.js';
import { useNotifiers } from './use-notifiers.js';

/**
 * Whom a notifier's escalation steps and failover may name, of the kinds the API takes: the
 * notifiers that are not policies themselves (the app's and the global ones; a global
 * notifier's, global ones only), never the notifier itself; the contacts and groups it may name.
 */
export function useEntryOptions(appId: string, selfId: string | undefined, kinds: string[]): EntryOptions {
  const notifiers = useNotifiers(appId);
  const people = useContacts(appId);
  const named = (list: { id: string; name: string; appId: string }[] | undefined) => list ?? [];
  return {
    notifier: named(notifiers.data?.filter((n) => !n.escalation && n.id !== selfId && (appId !== '*' || n.appId === '*'))),
    ...(kinds.includes('contact') ? { contact: named(people.data?.contacts) } : {}),
    ...(kinds.includes('group') ? { group: named(people.data?.groups) } : {}),
  };
}
