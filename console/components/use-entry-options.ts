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
  return {
    notifier: notifiers.data?.filter((n) => !n.escalation && n.id !== selfId && (appId !== '*' || n.appId === '*')) ?? [],
    ...(kinds.includes('contact') ? { contact: people.data?.contacts ?? [] } : {}),
    ...(kinds.includes('group') ? { group: people.data?.groups ?? [] } : {}),
  };
}
