import { api, errorText, HeraldApiError, type EventType, type Installation, type Notifier } from '../api.js';
import { SelectionPicker } from '../components/selection-picker.js';
import {
  OccurrencesFields,
  QuietHoursFields,
  TemplatesField,
  ThrottleFields,
  type QuietHoursValue,
} from '../components/notifier-fields.js';
import { DigestFields, type Digest } from '../components/digest-fields.js';
import { GroupingFields, type Grouping } from '../components/grouping-fields.js';
import { FailoverFields, type Failover } from '../components/failover-fields.js';
import { NotifierReach, reachOf } from '../components/notifier-reach.js';
import { RateFields, type Rate } from '../components/rate-fields.js';
import { useEntryOptions } from '../components/use-entry-options.js';
import { loadNotifierSchemas, type NotifierSchemas } from '../components/schema-form.js';
import { CopyButton, Dialog, ErrorNote, Field, fieldErrors, Page, type FieldErrors } from '../components/ui.js';
import { useLoad } from '../components/use-load.js';
import { html, useState } from '../html.js';
import { navigate } from '../router.js';

import { changes, compact, type Form } from './notifier-patch.js';

/**
 * Create or edit a notifier (of an app, or global: appId `*`). The target's fields come from
 * the channel's schema in /openapi.json; the rest (selection, grouping, quiet hours, throttle,
 * occurrences, language, overrides) is the same for every channel. An edit sends a merge
 * patch of what changed only, so that a masked secret is kept.
 */
export function NotifierFormScreen({ appId, id }: { appId: string; id?: string | undefined }) {
  const global = appId === '*';
  const loaded = useLoad(async () => {
    const [schemas, installation, catalog, existing] = await Promise.all([
      loadNotifierSchemas(),
      api.get('/v1/installation', {}),
      api.get('/v1/event-types', {}),
      id
        ? global
          ? api.get('/v1/notifiers/{id}', { path: { id } })
          : api.get('/v1/apps/{appId}/notifiers/{id}', { path: { appId, id } })
        : undefined,
    ]);
    return { schemas, installation, catalog: catalog.eventTypes as EventType[], notifier: existing?.notifier };
  }, [appId, id]);
  const title = id ? 'Edit notifier' : global ? 'New global notifier' : 'New notifier';
  if (!loaded.data) return html`<${Page} title=${title}><${ErrorNote} error=${loaded.error} /><//>`;
  return html`<${Page} title=${loaded.data.notifier ? loaded.data.notifier.name : title}>
    <${NotifierForm} appId=${appId} ...${loaded.data} />
  <//>`;
}

function NotifierForm(props: {
  appId: string;
  schemas: NotifierSchemas;
  installation: Installation;
  catalog: EventType[];
  notifier?: Notifier;
}) {
  const { appId, schemas, installation, catalog, notifier } = props;
  const global = appId === '*';
  const initial: Form = notifier
    ? { ...notifier }
    : { name: '', channel: 'webhook', target: {}, events: ['*'], minSeverity: 'info', enabled: true };
  const [form, setForm] = useState<Form>(initial);
  // The exceptions as typed: a comma or a space stays until the next entry follows it.
  const [exceptText, setExceptText] = useState((initial['exclude'] ?? []).join(', '));
  const entryOptions = useEntryOptions(appId, notifier?.id, schemas.entryKinds);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [secret, setSecret] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (field: string, value: unknown) => {
    setForm((f) => ({ ...f, [field]: value }));
    // What the API said of a field no longer stands once it is changed.
    setError(undefined);
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([path]) => path !== field && !path.startsWith(`${field}.`))));
  };
  // A notifier groups its events or digests them: turning one on turns the other off, and says so.
  const [turnedOff, setTurnedOff] = useState<string>();
  const gather = (field: 'grouping' | 'digest', value: Grouping | Digest | null) => {
    const other = field === 'grouping' ? 'digest' : 'grouping';
    set(field, value);
    if (value && form[other]) {
      set(other, null);
      setTurnedOff(`${other === 'digest' ? 'Digest' : 'Grouping'} turned off: a notifier groups its events or digests them, not both.`);
    } else if (value && !form[field]) setTurnedOff(undefined);
  };
  const back = () =>
    navigate(global ? ['apps', localStorage.getItem('herald.app') ?? '', 'notifiers'].filter(Boolean) : ['apps', appId, 'notifiers']);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      if (notifier) {
        const patch = changes(initial, form);
        if (global) await api.patch('/v1/notifiers/{id}', { path: { id: notifier.id }, body: patch as never });
        else await api.patch('/v1/apps/{appId}/notifiers/{id}', { path: { appId, id: notifier.id }, body: patch as never });
        back();
      } else {
        const body = compact(form) as never;
        const created = global
          ? await api.post('/v1/notifiers', { body })
          : await api.post('/v1/apps/{appId}/notifiers', { path: { appId }, body });
        if (created.secret) setSecret(created.secret);
        else back();
      }
    } catch (err) {
      setErrors(err instanceof HeraldApiError ? fieldErrors(err.details) : {});
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!notifier || !confirm(`Delete the notifier "${notifier.name}"?`)) return;
    try {
      if (global) await api.delete('/v1/notifiers/{id}', { path: { id: notifier.id } });
      else await api.delete('/v1/apps/{appId}/notifiers/{id}', { path: { appId, id: notifier.id } });
      back();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return html`<form class="card form notifier-form" onSubmit=${submit} novalidate>
    <${ErrorNote} error=${error} />
    <${Field} id="n-name" label="Name" error=${errors['name']}>
      <input id="n-name" value=${form['name']} required onInput=${(e: Event) => set('name', (e.target as HTMLInputElement).value)} />
    <//>
    <${NotifierReach}
      appId=${appId}
      form=${form}
      notifier=${notifier}
      setForm=${setForm}
      set=${set}
      schemas=${schemas}
      installation=${installation}
      entryOptions=${entryOptions}
      errors=${errors}
    />
    ${
      schemas.fields['failover'] && reachOf(form) !== 'escalation'
        ? html`<${FailoverFields} value=${form['failover']} onChange=${(v: Failover | null) => set('failover', v)} options=${entryOptions} errors=${errors} />`
        : null
    }
    <${SelectionPicker}
      label="Events it sends"
      value=${form['events'] ?? []}
      onChange=${(v: string[]) => set('events', v)}
      catalog=${catalog}
      errors=${errors}
      path="events"
    />
    <div class="grid2">
      <${Field} id="n-severity" label="At least this severity" error=${errors['minSeverity']}>
        <select
          id="n-severity"
          value=${form['minSeverity']}
          onChange=${(e: Event) => set('minSeverity', (e.target as HTMLSelectElement).value)}
        >
          <option value="info">info (all)</option>
          <option value="warning">warning and critical</option>
          <option value="critical">critical only</option>
        </select>
      <//>
      <${Field} id="n-exclude" label="Except (optional)" hint="Types, globs or @categories it never sends" error=${errors['exclude']}>
        <input
          id="n-exclude"
          value=${exceptText}
          onInput=${(e: Event) => {
            const raw = (e.target as HTMLInputElement).value;
            setExceptText(raw);
            set('exclude', split(raw));
          }}
        />
      <//>
    </div>
    <${GroupingFields}
      value=${form['grouping'] as Grouping | undefined}
      onChange=${(v: Grouping | null) => gather('grouping', v)}
      errors=${errors}
      schema=${schemas.fields['grouping']}
    />
    ${turnedOff ? html`<p class="muted small exclusive" role="status">${turnedOff}</p>` : null}
    <${DigestFields}
      value=${form['digest'] as Digest | undefined}
      onChange=${(v: Digest | null) => gather('digest', v)}
      errors=${errors}
      schema=${schemas.fields['digest']}
      timeZone=${form['timeZone'] ?? undefined}
    />
    <label class="check"
      ><input
        type="checkbox"
        checked=${form['enabled'] !== false}
        onChange=${(e: Event) => set('enabled', (e.target as HTMLInputElement).checked)}
      />
      Enabled</label
    >
    <details
      class="more"
      open=${['locale', 'timeZone', 'quietHours', 'throttle', 'rate', 'occurrences', 'templates'].some((k) => Object.keys(errors).some((p) => p.startsWith(k)))}
    >
      <summary>Language, quiet hours, repeats and overrides</summary>
      <div class="grid2">
        <${Field} id="n-locale" label="Language" error=${errors['locale']}>
          <select
            id="n-locale"
            value=${form['locale'] ?? ''}
            onChange=${(e: Event) => set('locale', (e.target as HTMLSelectElement).value || null)}
          >
            <option value="">The app's (or the installation's)</option>
            ${installation.locales.map((l) => html`<option value=${l}>${l}</option>`)}
          </select>
        <//>
        <${Field} id="n-tz" label="Time zone of its messages" hint="IANA, e.g. Europe/Berlin (default UTC)" error=${errors['timeZone']}>
          <input
            id="n-tz"
            value=${form['timeZone'] ?? ''}
            onInput=${(e: Event) => set('timeZone', (e.target as HTMLInputElement).value || null)}
          />
        <//>
      </div>
      <${QuietHoursFields}
        value=${form['quietHours'] as QuietHoursValue | undefined}
        onChange=${(v: unknown) => set('quietHours', v)}
        errors=${errors}
      />
      <${ThrottleFields} value=${form['throttle']} onChange=${(v: unknown) => set('throttle', v)} errors=${errors} />
      ${schemas.fields['rate'] ? html`<${RateFields} value=${form['rate']} onChange=${(v: Rate | null) => set('rate', v)} errors=${errors} />` : null}
      <${OccurrencesFields} value=${form['occurrences']} onChange=${(v: unknown) => set('occurrences', v)} errors=${errors} />
      <${TemplatesField} value=${form['templates']} onChange=${(v: unknown) => set('templates', v)} errors=${errors} />
    </details>
    <div class="form-actions">
      <button class="button primary" type="submit" disabled=${busy}>${notifier ? 'Save' : 'Create notifier'}</button>
      <button class="button" type="button" onClick=${back}>Cancel</button>
      ${notifier ? html`<button class="button danger right" type="button" onClick=${remove}>Delete</button>` : null}
    </div>
    ${
      secret
        ? html`<${Dialog} title="The webhook's signing secret" onClose=${back}>
            <p>Herald signs each request with it (Standard Webhooks). It is shown <strong>this once</strong>.</p>
            <div class="key-once"><code>${secret}</code> <${CopyButton} text=${secret} /></div>
            <div class="dialog-actions"><button class="button primary" type="button" onClick=${back}>I have kept it</button></div>
          <//>`
        : null
    }
  </form>`;
}

const split = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);
