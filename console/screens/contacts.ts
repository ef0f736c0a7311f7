import { api, contacts, type Contact } from '../api.js';
import { NamedList } from '../components/named-list.js';
import { loadNotifierSchemas } from '../components/schema-form.js';
import { useLoad } from '../components/use-load.js';
import { html } from '../html.js';
import { href } from '../router.js';
import { ContactForm } from './contact-form.js';
import { targetText } from './notifiers.js';

/**
 * An app's contacts, or the installation-wide ones (appId `*`, which every app's notifiers
 * may name): each with its channels (masked), language, time zone and quiet hours; add, edit,
 * delete (refused while a group or a notifier names it, saying which).
 */
export function ContactsScreen({ appId }: { appId: string }) {
  const global = appId === '*';
  const list = useLoad(() => contacts.list(appId), [appId]);
  const setup = useLoad(async () => {
    const [schemas, installation] = await Promise.all([loadNotifierSchemas(), api.get('/v1/installation', {})]);
    return { schemas, installation };
  }, []);
  return html`<${NamedList}
    noun="contact"
    title=${global ? 'Global contacts' : 'Contacts'}
    intro=${html`A contact is a person reached on several channels, each from a severity up, in their language and time zone, with their
      own quiet hours. A notifier names contacts or <a href=${href(global ? ['global', 'groups'] : ['apps', appId, 'groups'])}>groups</a>${' '}
      instead of a channel.${
        global
          ? ' These are every app’s: any notifier, global or an app’s, may name them.'
          : html` The <a href=${href(['global', 'contacts'])}>global contacts</a> may be named too.`
      }`}
    error=${setup.error}
    list=${list}
    empty=${{ title: global ? 'No global contacts' : `No contacts for ${appId}`, text: 'New contact: a name and where to reach them.' }}
    head=${['Name', 'Channels', 'Language', 'Time zone', 'Quiet hours']}
    cells=${(c: Contact) => html`<td><strong>${c.name}</strong></td>
      <td>
        <ul class="plain contact-channels-list">
          ${c.channels.map(
            (ch) =>
              html`<li>
                <span class="tag">${ch.channel}</span> ${targetText(ch.target)}${ch.minSeverity && ch.minSeverity !== 'info' ? html` <span class="muted">(${ch.minSeverity}${ch.minSeverity === 'critical' ? ' only' : ' up'})</span>` : null}
              </li>`,
          )}
        </ul>
      </td>
      <td>${c.locale ?? html`<span class="muted">—</span>`}</td>
      <td>${c.timeZone ?? html`<span class="muted">—</span>`}</td>
      <td>${c.quietHours ? quietText(c.quietHours) : html`<span class="muted">none</span>`}</td>`}
    form=${(contact: Contact | undefined, saved: () => void, cancel: () => void) =>
      setup.data
        ? html`<${ContactForm} key=${contact?.id ?? 'new'} appId=${appId} contact=${contact} ...${setup.data} onSaved=${saved} onCancel=${cancel} />`
        : null}
    remove=${(c: Contact) => contacts.delete(appId, c.id)}
    removeNote=${(c: Contact) => html`<p>Herald stops reaching ${c.name}. Deliveries made to them stay in the log.</p>`}
  />`;
}

/** Quiet hours in a line: "22:00–07:00 mon–fri, Europe/Berlin (hold)". */
function quietText(q: Record<string, unknown>): string {
  const windows = (q['windows'] as { days: string[]; from: string; to: string }[] | undefined) ?? [];
  const when = windows.map((w) => `${w.from}–${w.to} ${w.days.join(' ')}`).join(', ');
  return `${when}, ${String(q['timeZone'] ?? 'UTC')}${q['during'] === 'hold' ? ' (held)' : ''}`;
}
