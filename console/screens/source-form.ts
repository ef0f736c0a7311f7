import type { CreatedSource, SourceInput, SourceKind } from '@herald/client';
import { errorText, HeraldApiError, sources } from '../api.js';
import { pairsOf } from '../components/text-fields.js';
import { ErrorNote, errorsUnder, Field, fieldErrors, type FieldErrors } from '../components/ui.js';
import { html, useState } from '../html.js';

export const KIND_NAMES: Record<SourceKind, string> = {
  alertmanager: 'Alertmanager',
  grafana: 'Grafana',
  sns: 'Amazon SNS',
  github: 'GitHub',
  json: 'JSON',
};

const KIND_HINTS: Record<SourceKind, string> = {
  alertmanager: 'Its webhook (version 4): each alert is an event, alert.firing then alert.resolved on the same check.',
  grafana: "Grafana alerting's webhook contact point: as Alertmanager, with the dashboard and panel links.",
  sns: 'CloudWatch alarms and anything else published to a topic: ALARM is a problem, OK its recovery.',
  github: 'Workflow runs, deployment statuses, check suites, pushes to the default branch and releases.',
  json: 'Any tool that can POST JSON: say where each field of the event is in its body.',
};

/** The event's fields a JSON source reads, each a JSON path or a fixed value. */
const MAPPING_FIELDS = [
  ['type', 'Event type', '=deploy.done or $.event'],
  ['title', 'Title', '$.job.name'],
  ['message', 'Message', '$.error'],
  ['severity', 'Severity', '$.level (critical, warning, info)'],
  ['check', 'Check', '$.job.id: what a problem and its recovery share'],
  ['status', 'Status', '$.state (OK, WARNING, ERROR…)'],
  ['id', 'Idempotency id', '$.delivery_id: a repeat is a duplicate'],
] as const;

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((l) => l.trim())
    .filter(Boolean);

/** What the form says, as the API takes it: the kind's own settings only. */
function inputOf(kind: SourceKind, f: FormData): SourceInput {
  const name = String(f.get('name') ?? '');
  const text = (field: string) => String(f.get(field) ?? '').trim();
  if (kind === 'alertmanager' || kind === 'grafana') {
    const severities = pairsOf(text('severities')) as Record<string, 'critical' | 'warning' | 'info'>;
    return { kind, name, ...(Object.keys(severities).length ? { severities } : {}) };
  }
  if (kind === 'sns') {
    // Required: without any, Herald answers which field to fill in.
    return { kind, name, topicArns: lines(text('topicArns')), insufficientData: text('insufficientData') as 'warning' };
  }
  if (kind === 'json') {
    const mapping = Object.fromEntries(MAPPING_FIELDS.map(([field]) => [field, text(`mapping.${field}`)]).filter(([, v]) => v));
    return { kind, name, mapping: mapping as { type: string } };
  }
  return { kind, name };
}

/** A new source: its kind, its name and the kind's settings; Herald's errors next to their fields. */
export function SourceForm({ appId, onCreated, onCancel }: { appId: string; onCreated: (c: CreatedSource) => void; onCancel: () => void }) {
  const [kind, setKind] = useState<SourceKind>('alertmanager');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      onCreated(await sources.create(appId, inputOf(kind, new FormData(e.target as HTMLFormElement))));
    } catch (err) {
      setErrors(err instanceof HeraldApiError ? fieldErrors(err.details) : {});
      setError(errorText(err));
      setBusy(false);
    }
  };
  const invalid = (id: string, message: string | undefined) =>
    message ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : { 'aria-describedby': `${id}-hint` };
  const severities = errorsUnder(errors, 'severities');
  const topics = errorsUnder(errors, 'topicArns');
  return html`<form class="card form" onSubmit=${submit} novalidate>
    <h2>New source</h2>
    <${ErrorNote} error=${error} />
    <${Field} id="source-kind" label="Kind" hint=${KIND_HINTS[kind]}>
      <select id="source-kind" aria-describedby="source-kind-hint" value=${kind} onChange=${(e: Event) => setKind((e.target as HTMLSelectElement).value as SourceKind)}>
        ${Object.entries(KIND_NAMES).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
      </select>
    <//>
    <${Field} id="source-name" label="Name" hint="what the console calls it: Prod Alertmanager, GitHub shop-web" error=${errors['name']}>
      <input id="source-name" name="name" required autocomplete="off" ...${invalid('source-name', errors['name'])} />
    <//>
    ${
      kind === 'alertmanager' || kind === 'grafana'
        ? html`<${Field}
            id="source-severities"
            label="Severities (optional)"
            hint="One per line, the severity label's value: critical, warning or info (P1: critical; * for any other). Without: critical, warning and info as named, others warning."
            error=${severities}
          >
            <textarea id="source-severities" name="severities" rows="3" spellcheck="false" ...${invalid('source-severities', severities)}></textarea>
          <//>`
        : null
    }
    ${
      kind === 'sns'
        ? html`<${Field} id="source-topics" label="Topics" hint="The topic ARNs it takes, one per line: SNS signs for any account's topic, so a source takes only those it names." error=${topics}>
              <textarea id="source-topics" name="topicArns" rows="2" spellcheck="false" ...${invalid('source-topics', topics)}></textarea>
            <//>
            <${Field} id="source-insufficient" label="A CloudWatch alarm's INSUFFICIENT_DATA" error=${errors['insufficientData']}>
              <select id="source-insufficient" name="insufficientData">
                <option value="warning">a warning</option>
                <option value="problem">a problem, as ALARM</option>
                <option value="ignore">nothing</option>
              </select>
            <//>`
        : null
    }
    ${
      kind === 'json'
        ? html`<fieldset class="mapping">
            <legend>Where each field is in the posted JSON: a path ($.job.name) or a fixed value after = (=deploy.done)</legend>
            ${MAPPING_FIELDS.map(([field, label, hint]) => {
              const id = `source-mapping-${field}`;
              const message = errors[`mapping.${field}`] ?? (field === 'type' ? errors['mapping'] : undefined);
              return html`<${Field} id=${id} label=${field === 'type' ? label : `${label} (optional)`} hint=${hint} error=${message}>
                <input id=${id} name=${`mapping.${field}`} autocomplete="off" spellcheck="false" ...${invalid(id, message)} />
              <//>`;
            })}
          </fieldset>`
        : null
    }
    <div class="form-actions">
      <button class="button primary" type="submit" disabled=${busy}>Add source</button>
      <button class="button" type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}
