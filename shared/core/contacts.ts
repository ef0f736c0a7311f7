import type { QuietHours } from './quiet-hours.js';
import { SEVERITIES, type ChannelName, type Notifier, type Severity } from './types.js';

/**
 * Contacts and contact groups (Monitron's): a person with several channels, each wanting
 * events from a severity up, in the person's language and time zone, with the person's quiet
 * hours. A notifier names contacts and groups instead of a channel and a target; routing
 * expands them here into reach entries, one per channel and recipient. Pure: who a target
 * names is the caller's (the channels' addressing).
 */

export interface ContactChannel {
  channel: ChannelName;
  target: Record<string, unknown>;
  /** This channel only for events from this severity up (e.g. SMS for critical ones). */
  minSeverity?: Severity;
}

export interface Contact {
  id: string;
  /** The app whose notifiers may name it, or `*`: installation-wide, for every notifier. */
  appId: string;
  name: string;
  timeZone?: string;
  locale?: string;
  quietHours?: QuietHours;
  channels: ContactChannel[];
  createdAt: string;
  updatedAt: string;
}

export interface ContactGroup {
  id: string;
  appId: string;
  name: string;
  /** Contact ids. */
  members: string[];
  createdAt: string;
  updatedAt: string;
}

/** One way of reaching one recipient: what a delivery carries to it. */
export interface Reach {
  channel: ChannelName;
  target: Record<string, unknown>;
  recipient: string;
  /** The stricter of the notifier's and the channel's. */
  minSeverity: Severity;
  locale?: string;
  timeZone?: string;
  /** Its own quiet hours (a contact's); absent, the notifier's or the app's apply. */
  quietHours?: QuietHours;
  /** The contact it reaches, when it reaches one. */
  contactId?: string;
}

/** Who an escalation step or a failover names. */
export type ReachEntry = { contact: string } | { group: string } | { notifier: string };

/** The contacts and groups a notifier may name (its app's and the installation-wide ones), and who a target names. */
export interface ContactBook {
  contacts: ReadonlyMap<string, Contact>;
  groups: ReadonlyMap<string, ContactGroup>;
  recipientsOf: (channel: ChannelName, target: Record<string, unknown>) => string[];
}

type Asker = Pick<Notifier, 'minSeverity' | 'locale' | 'timeZone'>;

export const stricter = (a: Severity, b: Severity | undefined): Severity => (b && SEVERITIES.indexOf(b) > SEVERITIES.indexOf(a) ? b : a);

/**
 * Every channel and recipient a contact or a group reaches, each once; an id the book lacks
 * (deleted since) reaches nobody. (A step's or a failover's `{notifier}` entry is that
 * notifier: core/escalation.ts entryNotifiers.)
 */
export function reachOf(
  entry: Exclude<ReachEntry, { notifier: string }>,
  book: ContactBook,
  asker: Asker = { minSeverity: 'info' },
): Reach[] {
  const ids = 'contact' in entry ? [entry.contact] : (book.groups.get(entry.group)?.members ?? []);
  return once(ids.flatMap((id) => contactReach(book.contacts.get(id), book, asker)));
}

/** Whom a notifier reaches: its channel's recipients, or its contacts' and groups' channels. */
export function notifierReach(notifier: Notifier, book: ContactBook): Reach[] {
  const own: Reach[] =
    notifier.channel && notifier.target
      ? book.recipientsOf(notifier.channel, notifier.target).map((recipient) => ({
          channel: notifier.channel as ChannelName,
          target: notifier.target as Record<string, unknown>,
          recipient,
          minSeverity: notifier.minSeverity,
          ...(notifier.locale ? { locale: notifier.locale } : {}),
          ...(notifier.timeZone ? { timeZone: notifier.timeZone } : {}),
        }))
      : [];
  const named = [
    ...(notifier.contacts ?? []).map((contact) => ({ contact })),
    ...(notifier.groups ?? []).map((group) => ({ group })),
  ].flatMap((entry) => reachOf(entry, book, notifier));
  return once([...own, ...named]);
}

function contactReach(contact: Contact | undefined, book: ContactBook, asker: Asker): Reach[] {
  if (!contact) return [];
  const locale = contact.locale ?? asker.locale;
  const timeZone = contact.timeZone ?? asker.timeZone;
  return contact.channels.flatMap(({ channel, target, minSeverity }) =>
    book.recipientsOf(channel, target).map((recipient) => ({
      channel,
      target,
      recipient,
      minSeverity: stricter(asker.minSeverity, minSeverity),
      ...(locale ? { locale } : {}),
      ...(timeZone ? { timeZone } : {}),
      ...(contact.quietHours ? { quietHours: contact.quietHours } : {}),
      contactId: contact.id,
    })),
  );
}

/** A recipient on a channel once: the first way that names it wins (a contact in two groups gets one message). */
function once(reach: Reach[]): Reach[] {
  const seen = new Set<string>();
  return reach.filter((r) => {
    const key = `${r.channel} ${r.recipient}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The ids a notifier names, as a contact or a group. */
export const namedBy = (notifier: Pick<Notifier, 'contacts' | 'groups'>): string[] => [
  ...(notifier.contacts ?? []),
  ...(notifier.groups ?? []),
];
