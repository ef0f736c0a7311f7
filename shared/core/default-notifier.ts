import { CRITICAL_TYPES } from './catalog.js';
import { EVERY_CRASH } from './selection.js';
import type { App, Notifier } from './types.js';

/**
 * The notifier every app starts with: email to its owner and collaborators for the critical
 * event types and the welcome (`app_created`), following them when they change. Repeats of
 * the same problem are throttled by default (repeats.ts), so a crash loop sends a few mails.
 */

export const DEFAULT_NOTIFIER_NAME = 'Owner email (default)';

/** Every critical type but `app_crashed_repeated`, which would mean a mail per crash. */
export const DEFAULT_NOTIFIER_EVENTS: readonly string[] = ['app_created', ...CRITICAL_TYPES.filter((t) => t !== EVERY_CRASH)];

/** Who the default notifier mails: the owner, then the collaborators, each address once. */
export function defaultRecipients(app: Pick<App, 'owner' | 'collaborators'>): string[] {
  const out: string[] = [];
  for (const address of [app.owner.email, ...(app.collaborators ?? [])]) if (!holds(out, address)) out.push(address);
  return out;
}

export function newDefaultNotifier(app: App, id: string): Notifier {
  return {
    id,
    appId: app.id,
    name: DEFAULT_NOTIFIER_NAME,
    enabled: true,
    channel: 'email',
    target: { to: defaultRecipients(app) },
    events: [...DEFAULT_NOTIFIER_EVENTS],
    minSeverity: 'info',
    default: true,
    createdAt: app.createdAt,
    updatedAt: app.createdAt,
  };
}

/**
 * The default notifier's target once the app's owner or collaborators changed, undefined
 * when it stays as it is. Only the change is applied: an address that left the app is taken
 * out and one that joined is put in, so that addresses a user added stay and one a user took
 * out stays out (unless it joins again). A default notifier moved to another channel, or a
 * change that would leave nobody to mail, is left alone.
 */
export function followApp(notifier: Notifier, before: App, after: App): Notifier['target'] | undefined {
  const to = notifier.target?.['to'];
  if (!notifier.default || notifier.channel !== 'email' || !Array.isArray(to)) return undefined;
  const was = defaultRecipients(before);
  const now = defaultRecipients(after);
  const left = was.filter((a) => !holds(now, a));
  const joined = now.filter((a) => !holds(was, a));
  const next = [...(to as string[]).filter((a) => !holds(left, a)), ...joined.filter((a) => !holds(to as string[], a))];
  if (!next.length || sameAddresses(next, to as string[])) return undefined;
  return { ...notifier.target, to: next };
}

/** Email addresses compare without case (the email channel sends to them lowercased). */
function holds(list: readonly string[], address: string): boolean {
  return list.some((a) => a.toLowerCase() === address.toLowerCase());
}

function sameAddresses(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => holds(b, x));
}
