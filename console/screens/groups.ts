import { contacts, errorText, HeraldApiError, type ContactGroup } from '../api.js';
import { ConfirmDialog, EditDeleteCell } from '../components/confirm-dialog.js';
import { PeoplePicker } from '../components/people-picker.js';
import { Empty, ErrorNote, Field, fieldErrors, Page, Table, type FieldErrors } from '../components/ui.js';
import { useContacts } from '../components/use-contacts.js';
import { useLoad } from '../components/use-load.js';
import { html, useState } from '../html.js';
import { href } from '../router.js';

/**
 * An app's contact groups, or the installation-wide ones (`*`): each with its members by
 * name; add, edit (name and members, picked from the contacts), delete (refused while a
 * notifier names it, saying which).
 */
export function GroupsScreen({ appId }: { appId: string }) {
  const global = appId === '*';
  const list = useLoad(() => contacts.listGroups(appId), [appId]);
  const people = useContacts(appId);
  const [editing, setEditing] = useState<ContactGroup | null>();
  const [deleting, setDeleting] = useState<ContactGroup>();
  const done = () => {
    setEditing(undefined);
    list.reload();
  };
  return html`<${Page}
    title=${global ? 'Global groups' : 'Groups'}
    actions=${editing === undefined ? html`<button class="button primary" type="button" onClick=${() => setEditing(null)}>New group</button>` : null}
  >
    <p class="muted">
      A group names <a href=${href(global ? ['global', 'contacts'] : ['apps', appId, 'contacts'])}>contacts</a>${' '}(an on-call
      team): a notifier that names it reaches each of them, once even when two of its groups name the same person.
    </p>
    <${ErrorNote} error=${list.error ?? people.error} />
    ${editing !== undefined ? html`<${GroupForm} key=${editing?.id ?? 'new'} appId=${appId} group=${editing ?? undefined} people=${people.data?.contacts ?? []} loading=${people.loading} onSaved=${done} onCancel=${() => setEditing(undefined)} />` : null}
    ${list.loading && !list.data ? html`<p class="muted" aria-live="polite">Loading…</p>` : null}
    ${
      list.data && !list.data.length
        ? html`<${Empty} title=${global ? 'No global groups' : `No groups for ${appId}`}>New group: a name and its members.</${Empty}>`
        : null
    }
    ${
      list.data?.length
        ? html`<${Table} head=${['Name', 'Members']} actions className="groups">
            ${list.data.map(
              (g) => html`<tr data-group=${g.name} data-id=${g.id}>
                <td><strong>${g.name}</strong></td>
                <td class="members">${g.members.map((m) => people.nameOf(m) ?? m).join(', ')}</td>
                <${EditDeleteCell} name=${g.name} onEdit=${() => setEditing(g)} onDelete=${() => setDeleting(g)} />
              </tr>`,
            )}
          <//>`
        : null
    }
    ${
      deleting
        ? html`<${ConfirmDialog}
            title=${`Delete ${deleting.name}?`}
            action="Delete group"
            run=${() => contacts.deleteGroup(appId, deleting.id)}
            onClose=${() => setDeleting(undefined)}
            onDone=${() => {
              setDeleting(undefined);
              done();
            }}
          >
            <p>The group goes; its contacts stay.</p>
          <//>`
        : null
    }
  <//>`;
}

function GroupForm({
  appId,
  group,
  people,
  loading,
  onSaved,
  onCancel,
}: {
  appId: string;
  group?: ContactGroup | undefined;
  people: { id: string; name: string; appId: string }[];
  loading: boolean;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(group?.name ?? '');
  const [members, setMembers] = useState<string[]>(group?.members ?? []);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      if (group) await contacts.updateGroup(appId, group.id, { name, members });
      else await contacts.createGroup(appId, { name, members });
      onSaved();
    } catch (err) {
      setErrors(err instanceof HeraldApiError ? fieldErrors(err.details) : {});
      setError(errorText(err));
      setBusy(false);
    }
  };
  return html`<form class="card form group-form" onSubmit=${submit} novalidate aria-labelledby="group-form-title">
    <h2 id="group-form-title">${group ? `Edit ${group.name}` : appId === '*' ? 'New global group' : 'New group'}</h2>
    <${ErrorNote} error=${error} />
    <${Field} id="g-name" label="Name" error=${errors['name']}>
      <input id="g-name" value=${name} autocomplete="off" onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)} />
    <//>
    <${PeoplePicker}
      id="g-members"
      legend="Members"
      options=${people}
      value=${members}
      onChange=${setMembers}
      errors=${errors}
      field="members"
      empty=${loading ? 'Loading the contacts…' : 'No contacts yet: add them under Contacts first.'}
    />
    <div class="form-actions">
      <button class="button primary" type="submit" disabled=${busy}>${group ? 'Save' : 'Add group'}</button>
      <button class="button" type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}
