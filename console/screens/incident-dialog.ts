import { api, errorText, HeraldApiError, type Incident } from '../api.js';
import { lastBy, rememberBy } from '../components/operator.js';
import { Dialog, ErrorNote, Field, fieldErrors, type FieldErrors } from '../components/ui.js';
import { html, useState } from '../html.js';

export type IncidentAction = 'ack' | 'resolve';

const WORDS: Record<IncidentAction, { title: string; button: string; what: string }> = {
  ack: {
    title: 'Acknowledge this incident?',
    button: 'Acknowledge',
    what: 'You are on it: its further failures are sent to nobody until it recovers, and whoever was told of it hears who is on it, with your note.',
  },
  resolve: {
    title: 'Resolve this incident?',
    button: 'Resolve',
    what: 'It is closed now, and whoever was told of it hears so. A new failure of its check opens another incident.',
  },
};

/**
 * Acknowledge or Resolve, with who (remembered in this browser, as the silence form's) and a
 * note. A 409 (someone else was quicker) says by whom, and the row behind is refreshed
 * (`onConflict`); the dialog then only closes.
 */
export function IncidentDialog({
  appId,
  incident,
  action,
  onClose,
  onDone,
  onConflict,
}: {
  appId: string;
  incident: Incident;
  action: IncidentAction;
  onClose: () => void;
  onDone: (incident: Incident) => void;
  onConflict: () => void;
}) {
  const words = WORDS[action];
  const [by, setBy] = useState(lastBy);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    // The API takes neither an empty "by" (the key is who then) nor an empty note.
    const body = { ...(by.trim() ? { by: by.trim() } : {}), ...(note.trim() ? { note: note.trim() } : {}) };
    const path = { appId, incidentId: incident.id };
    try {
      const done =
        action === 'ack'
          ? await api.post('/v1/apps/{appId}/incidents/{incidentId}/ack', { path, body })
          : await api.post('/v1/apps/{appId}/incidents/{incidentId}/resolve', { path, body });
      rememberBy(by);
      onDone(done.incident);
    } catch (err) {
      setErrors(err instanceof HeraldApiError ? fieldErrors(err.details) : {});
      setError(errorText(err));
      setBusy(false);
      if (err instanceof HeraldApiError && (err.status === 409 || err.status === 404)) {
        setConflict(true);
        onConflict();
      }
    }
  };
  const described = (id: string) =>
    errors[id.replace('incident-', '')]
      ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` }
      : { 'aria-describedby': `${id}-hint` };
  return html`<${Dialog} title=${words.title} onClose=${onClose}>
    <form class="incident-action" onSubmit=${submit} novalidate>
      <p><strong>${incident.title}</strong> <span class="muted">(${incident.check})</span></p>
      <p class="muted">${words.what}</p>
      <${ErrorNote} error=${error} />
      <${Field} id="incident-by" label="By" hint="who: your e-mail or name (kept in this browser for next time); without it, the admin key" error=${errors['by']}>
        <input id="incident-by" autocomplete="email" maxlength="200" value=${by} onInput=${(e: Event) => setBy((e.target as HTMLInputElement).value)} ...${described('incident-by')} />
      <//>
      <${Field} id="incident-note" label="Note" hint=${action === 'ack' ? 'looking into it' : 'what fixed it'} error=${errors['note']}>
        <input id="incident-note" maxlength="500" value=${note} onInput=${(e: Event) => setNote((e.target as HTMLInputElement).value)} ...${described('incident-note')} />
      <//>
      <div class="dialog-actions">
        ${conflict ? null : html`<button class="button primary" type="submit" disabled=${busy}>${words.button}</button>`}
        <button class="button" type="button" onClick=${onClose}>${conflict ? 'Close' : 'Cancel'}</button>
      </div>
    </form>
  <//>`;
}
