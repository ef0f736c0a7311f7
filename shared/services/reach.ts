import { ADDRESSING } from '../channels/addressing.js';
import { notifierReach, type Contact, type ContactBook, type ContactGroup, type Reach } from '../core/contacts.js';
import type { ChannelName, Notifier } from '../core/types.js';

/** Who a target names: the channel decides. */
export const recipientsOf = (channel: ChannelName, target: Record<string, unknown>): string[] =>
  ADDRESSING[channel].recipients(target as never);

type Named = { contacts?: Contact[]; contactGroups?: ContactGroup[] };

/** The contact book of a routing view (an app's contacts and groups, and the installation-wide ones). */
export function contactBook(view: Named): ContactBook {
  return {
    contacts: new Map((view.contacts ?? []).map((c) => [c.id, c])),
    groups: new Map((view.contactGroups ?? []).map((g) => [g.id, g])),
    recipientsOf,
  };
}

/** The books of the views routing used lately: a cached view (RoutingCache) gets its book once, not once per event. */
const books = new WeakMap<Named, ContactBook>();

/** planDeliveries' `reach` for a routing view. */
export function reachIn(view: Named): (notifier: Notifier) => Reach[] {
  const book = books.get(view) ?? contactBook(view);
  books.set(view, book);
  return (notifier) => notifierReach(notifier, book);
}
