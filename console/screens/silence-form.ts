import { api, errorText, HeraldApiError, silencesOf, type Schemas, type Silence } from '../api.js';
import { EVENT_FIELD_SUGGESTIONS } from '../components/event-fields.js';
import { lastBy, rememberBy } from '../components/operator.js';
import { ErrorNote, Field, FieldError, fieldErrors, type FieldErrors, Time } from '../components/ui.js';
import { html, useState } from '../html.js';

type Matcher = Schemas['SilenceMatcher'];
type Preview = Schemas['SilencePreview'];

/** Every operator the API takes (its type: a new one fails to compile here until named). */
const OP_NAMES: Record<Matcher['op'], string> = { '=': '= equals', '!=': '!= differs', '=~': '=~ matches', '!~': '!~ does not match' };
const OPS = Object.keys(OP_NAMES) as Matcher['op'][];

const DURATIONS = [
  ['1h', '1 hour', 3600_000],
  ['4h', '4 hours', 4 * 3600_000],
  ['1d', '1 day', 86400_000],
  ['custom', 'until…', 0],
] as const;
type Duration = (typeof DURATIONS)[number][0];

const blank = (): Matcher => ({ field: '', op: '=', value: '' });

/** A datetime-local input's value for a time (the browser's zone), to start the custom end from. */
const localInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/**
 * A new silence: its matchers (every one must match), how long, why and who; Preview lists the
 * app's recent events it would have silenced before anything is made. Herald's errors show at
 * the matcher (`matchers.N`) or the field they name.
 */
export function SilenceForm({
  appId,
  scope,
  onCreated,
  onCancel,
}: {
  appId: string;
  scope: string;
  onCreated: (s: Silence) => void;
  onCancel: () => void;
}) {
  const global = scope === '*';
  const [matchers, setMatchers] = useState<Matcher[]>([blank()]);
  const [duration, setDuration] = useState<Duration>('1h');
  const [customEnd, setCustomEnd] = useState(() => localInput(Date.now() + 2 * 3600_000));
  const [comment, setComment] = useState('');
  const [by, setBy] = useState(lastBy);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<Preview>();

  const change = (i: number, part: Partial<Matcher>) => {
    setMatchers(matchers.map((m, j) => (j === i ? { ...m, ...part } : m)));
    setPreview(undefined);
  };
  const failed = (err: unknown) => {
    setErrors(err instanceof HeraldApiError ? fieldErrors(err.details) : {});
    setError(errorText(err));
    setBusy(false);
  };
  const endsAt = () => {
    if (duration !== 'custom') return new Date(Date.now() + (DURATIONS.find(([d]) => d === duration)?.[2] ?? 0)).toISOString();
    const at = new Date(customEnd);
    return Number.isNaN(at.getTime()) ? customEnd : at.toISOString();
  };
  const runPreview = async () => {
    setBusy(true);
    try {
      setPreview(await api.post('/v1/apps/{appId}/silences/preview', { path: { appId }, body: { matchers } }));
      setErrors({});
      setError(undefined);
      setBusy(false);
    } catch (err) {
      failed(err);
    }
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const silence = await silencesOf(scope).create({ matchers, endsAt: endsAt(), comment, ...(by.trim() ? { by: by.trim() } : {}) });
      rememberBy(by);
      onCreated(silence);
    } catch (err) {
      failed(err);
    }
  };
  // A matcher's own errors, and its field's, op's and value's: all at its row.
  const rowError = (i: number) =>
    Object.entries(errors)
      .filter(([path]) => path === `matchers.${i}` || path.startsWith(`matchers.${i}.`))
      .map(([, message]) => message)
      .join('; ') || undefined;
  const invalid = (id: string, message: string | undefined) =>
    message ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : { 'aria-describedby': `${id}-hint` };

  return html`<form class="card form silence-form" onSubmit=${submit} novalidate>
    <h2>${global ? 'New global silence' : 'New silence'}</h2>
    <${ErrorNote} error=${error} />
    <fieldset class=${`matchers${errors['matchers'] ? ' invalid' : ''}`} aria-describedby="matchers-hint">
      <legend>Matchers: an event every one of them matches is silenced</legend>
      <small class="hint" id="matchers-hint">
        A field (type, severity, check, data.cluster…), how to compare, and a value; =~ and !~ take a regular expression (RE2) that must match the whole value.
      </small>
      <datalist id="silence-fields">${EVENT_FIELD_SUGGESTIONS.map((f) => html`<option value=${f}></option>`)}</datalist>
      ${matchers.map((m, i) => {
        const id = `matcher-${i}`;
        const message = rowError(i);
        const described = message ? { 'aria-invalid': 'true', 'aria-describedby': `${id}-error` } : {};
        const text = (part: 'field' | 'value', extra: Record<string, string> = {}) =>
          html`<input
            aria-label=${`Matcher ${i + 1}: ${part}`}
            placeholder=${part}
            autocomplete="off"
            spellcheck="false"
            value=${m[part]}
            onInput=${(e: Event) => change(i, { [part]: (e.target as HTMLInputElement).value })}
            ...${extra}
            ...${described}
          />`;
        return html`<div class=${`matcher-row${message ? ' invalid' : ''}`} data-matcher=${i}>
          ${text('field', { list: 'silence-fields' })}
          <select aria-label=${`Matcher ${i + 1}: operator`} value=${m.op} onChange=${(e: Event) => change(i, { op: (e.target as HTMLSelectElement).value as Matcher['op'] })}>
            ${OPS.map((op) => html`<option value=${op}>${OP_NAMES[op]}</option>`)}
          </select>
          ${text('value')}
          <button
            class="button small"
            type="button"
            aria-label=${`Remove matcher ${i + 1}`}
            disabled=${matchers.length === 1}
            onClick=${() => {
              setMatchers(matchers.filter((_, j) => j !== i));
              setErrors({});
              setPreview(undefined);
            }}
          >
            Remove
          </button>
          <${FieldError} error=${message} id=${`${id}-error`} />
        </div>`;
      })}
      <${FieldError} error=${errors['matchers']} id="matchers-error" />
      <button class="button small" type="button" disabled=${matchers.length >= 20} onClick=${() => setMatchers([...matchers, blank()])}>Add matcher</button>
    </fieldset>
    <fieldset class=${`durations${errors['endsAt'] ? ' invalid' : ''}`}>
      <legend>For</legend>
      <div class="chips" role="radiogroup" aria-label="For">
        ${DURATIONS.map(
          ([value, label]) =>
            html`<label class=${`chip${duration === value ? ' on' : ''}`}>
              <input type="radio" name="duration" value=${value} checked=${duration === value} onChange=${() => setDuration(value)} /> ${label}
            </label>`,
        )}
      </div>
      ${
        duration === 'custom'
          ? html`<label class="custom-end"
              >Ends at (your time)
              <input type="datetime-local" value=${customEnd} onInput=${(e: Event) => setCustomEnd((e.target as HTMLInputElement).value)} ...${errors['endsAt'] ? { 'aria-invalid': 'true', 'aria-describedby': 'silence-ends-error' } : {}}
            /></label>`
          : null
      }
      <${FieldError} error=${errors['endsAt']} id="silence-ends-error" />
    </fieldset>
    <${Field} id="silence-comment" label="Comment" hint="why: database maintenance on eu-1, ticket OPS-42" error=${errors['comment']}>
      <input id="silence-comment" value=${comment} onInput=${(e: Event) => setComment((e.target as HTMLInputElement).value)} ...${invalid('silence-comment', errors['comment'])} />
    <//>
    <${Field} id="silence-by" label="By" hint="who: your e-mail or name (kept in this browser for next time); without it, the admin key" error=${errors['by']}>
      <input id="silence-by" autocomplete="email" value=${by} onInput=${(e: Event) => setBy((e.target as HTMLInputElement).value)} ...${invalid('silence-by', errors['by'])} />
    <//>
    ${preview ? html`<${PreviewList} appId=${appId} global=${global} preview=${preview} />` : null}
    <div class="form-actions">
      <button class="button primary" type="submit" disabled=${busy}>Create silence</button>
      <button class="button" type="button" disabled=${busy} onClick=${runPreview}>Preview</button>
      <button class="button" type="button" onClick=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

/** The recent events these matchers would have silenced (for a global silence: among this app's). */
function PreviewList({ appId, global, preview }: { appId: string; global: boolean; preview: Preview }) {
  const among = `of ${appId}'s latest ${preview.scanned} events${global ? ' (a global silence also silences other apps)' : ''}`;
  return html`<section class="silence-preview" aria-live="polite" aria-label="Preview">
    <h3>${preview.events.length ? `It would have silenced ${preview.events.length} ${among}` : `It would have silenced none ${among}`}</h3>
    ${
      preview.events.length
        ? html`<ul>
            ${preview.events.map(
              (e) =>
                html`<li>
                  <code>${e.type}</code> ${e.title ?? ''} <span class=${`sev sev-${e.severity}`}>${e.severity}</span>
                  <span class="muted"><${Time} at=${e.receivedAt} /></span>
                </li>`,
            )}
          </ul>`
        : null
    }
  </section>`;
}
