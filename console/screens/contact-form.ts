import { contacts, errorText, HeraldApiError, type Contact, type Installation } from '../api.js';
import { ContactChannels, type ContactChannelRow } from '../components/contact-channels.js';
import { QuietHoursFields, type QuietHoursValue } from '../components/notifier-fields.js';
import type { NotifierSchemas } from '../components/schema-form.js';
import { ErrorNote, Field, fieldErrors, type FieldErrors } from '../components/ui.js';
import { html, useState } from '../html.js';

interface Form {
  name: string;
  locale: string;
  timeZone: string;
  quietHours: QuietHoursValue | null;
  channels: ContactChannelRow[];
}

/**
 * Add or edit a contact: a name, the language and time zone of its messages, its own quiet
 * hours, and its channels. An edit sends every field (`channels` replaces the list; a masked
 * target sent back as it came keeps its secret). Herald's errors show at the field they name.
 */
export function ContactForm({
  appId,
  contact,
  schemas,
  installation,
  onSaved,
  onCancel,
}: {
  appId: string;
  contact?: Contact | undefined;
  schemas: NotifierSchemas;
  installation: Installation;
  onSaved: (c: Contact) => void;
  onCancel: () => void;
}) {
  const saved = (contact?.channels ?? []) as ContactChannelRow[];
  const [form, setForm] = useState<Form>({
    name: contact?.name ?? '',
    locale: contact?.locale ?? '',
    timeZone: contact?.timeZone ?? '',
    quietHours: (contact?.quietHours as QuietHoursValue | undefined) ?? null,
    channels: saved.length ? saved : [{ channel: 'email', target: {} }],
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(field: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [field]: value }));
    setError(undefined);
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([path]) => path !== field && !path.startsWith(`${field}.`))));
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const { name, locale, timeZone, quietHours, channels } = form;
      const done = contact
        ? await contacts.update(appId, contact.id, { name, locale: locale || null, timeZone: timeZone || null, quietHours, channels })
        : await contacts.create(appId, {
            name,
            ...(locale ? { locale: locale as 'en' } : {}),
            ...(timeZone ? { timeZone } : {}),
            ...(quietHours ? { quietHours: quietHours as never } : {}),
            channels: channels as never,
          });
      onSaved(done);
    } catch (err) {
      setErrors(err instanceof HeraldApiError ? fieldErrors(err.details) : {});
      setError(errorText(err));
      setBusy(false);
    }
  };
  const global = appId === '*';
  return html`<form class="card form contact-form" onSubmit=${submit} novalidate aria-labelledby="contact-form-title">
    <h2 id="contact-form-title">${contact ? `Edit ${contact.name}` : global ? 'New global contact' : 'New contact'}</h2>
    <${ErrorNote} error=${error} />
    <${Field} id="c-name" label="Name" error=${errors['name']}>
      <input id="c-name" value=${form.name} autocomplete="off" onInput=${(e: Event) => set('name', (e.target as HTMLInputElement).value)} />
    <//>
    <div class="grid2">
      <${Field} id="c-locale" label="Language" error=${errors['locale']}>
        <select id="c-locale" value=${form.locale} onChange=${(e: Event) => set('locale', (e.target as HTMLSelectElement).value)}>
          <option value="">The notifier's (or the app's)</option>
          ${installation.locales.map((l) => html`<option value=${l}>${l}</option>`)}
        </select>
      <//>
      <${Field} id="c-tz" label="Time zone of its messages" hint="IANA, e.g. Europe/Berlin (default: the notifier's)" error=${errors['timeZone']}>
        <input id="c-tz" value=${form.timeZone} onInput=${(e: Event) => set('timeZone', (e.target as HTMLInputElement).value)} ...${errors['timeZone'] ? { 'aria-invalid': 'true', 'aria-describedby': 'c-tz-error' } : {}} />
      <//>
    </div>
    <${ContactChannels}
      value=${form.channels}
      saved=${saved}
      onChange=${(rows: ContactChannelRow[]) => set('channels', rows)}
      schemas=${schemas}
      installation=${installation}
      errors=${errors}
    />
    <${QuietHoursFields} value=${form.quietHours} onChange=${(v: QuietHoursValue | null) => set('quietHours', v)} errors=${errors} />
    <div class="form-actions">
      <button class="button primary" type="submit" disabled=${busy}>${contact ? 'Save' : 'Add contact'}</button>
      <button class="button" type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}
