import { api, contacts, type Contact } from '../api.js';
import { ConfirmDialog, EditDeleteCell } from '../components/confirm-dialog.js';
import { loadNotifierSchemas } from '../components/schema-form.js';
import { Empty, ErrorNote, Page, Table } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html, useState } from '../html.js';
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
  // The form: a new contact (null) or the one being edited.
  const [editing, setEditing] = useState<Contact | null>();
  const [deleting, setDeleting] = useState<Contact>();
  const done = () => {
    setEditing(undefined);
    list.reload();
  };
  return html`<${Page}
    title=${global ? 'Global contacts' : 'Contacts'}
    actions=${editing === undefined ? html`<button class="button primary" type="button" onClick=${() => setEditing(null)}>New contact</button>` : null}
  >
    <p class="muted">
      A contact is a person reached on several channels, each from a severity up, in their language and time zone, with their own quiet
      hours. A notifier names contacts or <a href=${href(global ? ['global', 'groups'] : ['apps', appId, 'groups'])}>groups</a>${' '}
      instead of a channel.${
        global
          ? ' These are every app’s: any notifier, global or an app’s, may name them.'
          : html` The <a href=${href(['global', 'contacts'])}>global contacts</a> may be named too.`
      }
    </p>
    <${ErrorNote} error=${list.error ?? setup.error} />
    ${
      editing !== undefined && setup.data
        ? html`<${ContactForm} key=${editing?.id ?? 'new'} appId=${appId} contact=${editing ?? undefined} ...${setup.data} onSaved=${done} onCancel=${() => setEditing(undefined)} />`
        : null
    }
    ${list.loading && !list.data ? html`<p class="muted" aria-live="polite">Loading…</p>` : null}
    ${
      list.data && !list.data.length
        ? html`<${Empty} title=${global ? 'No global contacts' : `No contacts for ${appId}`}>New contact: a name and where to reach them.</${Empty}>`
        : null
    }
    ${
      list.data?.length
        ? html`<${Table} head=${['Name', 'Channels', 'Language', 'Time zone', 'Quiet hours']} actions className="contacts">
            ${list.data.map(
              (c) => html`<tr data-contact=${c.name} data-id=${c.id}>
                <td><strong>${c.name}</strong></td>
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
                <td>${c.quietHours ? quietText(c.quietHours) : html`<span class="muted">none</span>`}</td>
                <${EditDeleteCell} name=${c.name} onEdit=${() => setEditing(c)} onDelete=${() => setDeleting(c)} />
              </tr>`,
            )}
          <//>`
        : null
    }
    ${
      deleting
        ? html`<${ConfirmDialog}
            title=${`Delete ${deleting.name}?`}
            action="Delete contact"
            run=${() => contacts.delete(appId, deleting.id)}
            onClose=${() => setDeleting(undefined)}
            onDone=${() => {
              setDeleting(undefined);
              done();
            }}
          >
            <p>Herald stops reaching ${deleting.name}. Deliveries made to them stay in the log.</p>
          <//>`
        : null
    }
  <//>`;
}

/** Quiet hours in a line: "22:00–07:00 mon–fri, Europe/Berlin (hold)". */
function quietText(q: Record<string, unknown>): string {
  const windows = (q['windows'] as { days: string[]; from: string; to: string }[] | undefined) ?? [];
  const when = windows.map((w) => `${w.from}–${w.to} ${w.days.join(' ')}`).join(', ');
  return `${when}, ${String(q['timeZone'] ?? 'UTC')}${q['during'] === 'hold' ? ' (held)' : ''}`;
}
