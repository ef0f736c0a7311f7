import { contacts, errorText, HeraldApiError, type ContactGroup } from '../api.js';
import { NamedList } from '../components/named-list.js';
import { PeoplePicker } from '../components/people-picker.js';
import { ErrorNote, Field, fieldErrors, type FieldErrors } from '../components/ui.js';
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
  return html`<${NamedList}
    noun="group"
    title=${global ? 'Global groups' : 'Groups'}
    intro=${html`A group names <a href=${href(global ? ['global', 'contacts'] : ['apps', appId, 'contacts'])}>contacts</a>${' '}(an on-call
      team): a notifier that names it reaches each of them, once even when two of its groups name the same person.`}
    error=${people.error}
    list=${list}
    empty=${{ title: global ? 'No global groups' : `No groups for ${appId}`, text: 'New group: a name and its members.' }}
    head=${['Name', 'Members']}
    cells=${(g: ContactGroup) => html`<td><strong>${g.name}</strong></td>
      <td class="members">${g.members.map((m) => people.nameOf(m) ?? m).join(', ')}</td>`}
    form=${(group: ContactGroup | undefined, saved: () => void, cancel: () => void) =>
      html`<${GroupForm} key=${group?.id ?? 'new'} appId=${appId} group=${group} people=${people.data?.contacts ?? []} loading=${people.loading} onSaved=${saved} onCancel=${cancel} />`}
    remove=${(g: ContactGroup) => contacts.deleteGroup(appId, g.id)}
    removeNote=${() => html`<p>The group goes; its contacts stay.</p>`}
  />`;
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
