import { html, useState } from '../html.js';
import { DurationField, inUnit } from './duration-field.js';
import { EVENT_FIELD_SUGGESTIONS } from './event-fields.js';
import type { JsonSchema } from './schema-form.js';
import { FieldError, type FieldErrors } from './ui.js';

/** A notifier's grouping, as the API takes it (a duration left out is the API's default). */
export type Grouping = { by: string[]; waitSeconds?: number; intervalSeconds?: number; repeatSeconds?: number };

const DURATIONS = [
  ['waitSeconds', 'Wait', 'for others, after the first of a group'],
  ['intervalSeconds', 'Every', 'at most: later ones go together'],
  ['repeatSeconds', 'Repeat', 'while members are still failing'],
] as const;
/** "grouped by data.cluster · wait 30 s · every 5 min · repeat 4 h", as the notifier list and the form say it. */
export function groupingSummary(g: Grouping): string {
  const by = g.by.length ? `grouped by ${g.by.join(', ')}` : 'all grouped together';
  const times = [
    g.waitSeconds !== undefined ? `wait ${inUnit(g.waitSeconds)}` : undefined,
    g.intervalSeconds !== undefined ? `every ${inUnit(g.intervalSeconds)}` : undefined,
    g.repeatSeconds !== undefined ? `repeat ${inUnit(g.repeatSeconds)}` : undefined,
  ];
  return [by, ...times].filter(Boolean).join(' · ');
}

/**
 * A notifier's grouping: on or off, the fields a group is keyed by (chips, with the event's
 * fields suggested), and how long it waits, how often it sends and repeats, each with its
 * unit. The defaults and bounds are the API's own (its schema in /openapi.json); the API's
 * errors show at the field they name (`grouping.by.0`, `grouping.waitSeconds`).
 */
export function GroupingFields({
  value,
  onChange,
  errors,
  schema,
}: {
  value?: Grouping | null;
  onChange: (v: Grouping | null) => void;
  errors: FieldErrors;
  schema?: JsonSchema;
}) {
  const defaults = Object.fromEntries(DURATIONS.map(([name]) => [name, schema?.properties?.[name]?.default as number | undefined]));
  const [typed, setTyped] = useState('');
  const on = !!value;
  const v: Grouping = value ?? { by: [], ...defaults };
  const add = (raw: string) => {
    const fields = raw.split(/[\s,]+/).filter((f) => f && !v.by.includes(f));
    setTyped('');
    if (fields.length) onChange({ ...v, by: [...v.by, ...fields] });
  };
  const byErrors = v.by
    .map((field, i) => (errors[`grouping.by.${i}`] ? `${field}: ${errors[`grouping.by.${i}`]}` : undefined))
    .concat(errors['grouping.by'])
    .filter(Boolean)
    .join('; ');
  // What no field of the fieldset shows (the grouping as a whole).
  const shown = (path: string) => path.startsWith('grouping.by') || DURATIONS.some(([name]) => path === `grouping.${name}`);
  const rest = Object.entries(errors)
    .filter(([path]) => (path === 'grouping' || path.startsWith('grouping.')) && !shown(path))
    .map(([path, message]) => `${path}: ${message}`)
    .join('; ');
  return html`<fieldset class=${`grouping${byErrors || rest ? ' invalid' : ''}`}>
    <legend>Grouping</legend>
    <label class="check"
      ><input type="checkbox" checked=${on} onChange=${(e: Event) => onChange((e.target as HTMLInputElement).checked ? v : null)} />
      Group events into one notification</label
    >
    ${
      on
        ? html`<div class=${`field${byErrors ? ' invalid' : ''}`}>
              <label for="grouping-by">Group by</label>
              <div class="chips" role="list" aria-label="Grouped by">
                ${v.by.map(
                  (field, i) =>
                    html`<span role="listitem" class=${`chip on${errors[`grouping.by.${i}`] ? ' invalid' : ''}`}
                      ><code>${field}</code>
                      <button
                        class="chip-remove"
                        type="button"
                        aria-label=${`Remove ${field}`}
                        onClick=${() => onChange({ ...v, by: v.by.filter((_, j) => j !== i) })}
                      >
                        ×
                      </button></span
                    >`,
                )}
              </div>
              <input
                id="grouping-by"
                list="grouping-fields"
                value=${typed}
                placeholder="A field, then Enter: data.cluster"
                spellcheck="false"
                aria-invalid=${byErrors ? 'true' : undefined}
                aria-describedby=${byErrors ? 'grouping-by-error' : 'grouping-by-hint'}
                onInput=${(e: Event) => setTyped((e.target as HTMLInputElement).value)}
                onBlur=${() => add(typed)}
                onKeyDown=${(e: KeyboardEvent) => {
                  if (e.key !== 'Enter' && e.key !== ',') return;
                  e.preventDefault(); // not the form's submit
                  add(typed);
                }}
              />
              <datalist id="grouping-fields">
                ${['app', ...EVENT_FIELD_SUGGESTIONS].map((f) => html`<option value=${f}></option>`)}
              </datalist>
              <small class="hint" id="grouping-by-hint"
                >app, an event field (type, severity, check…) or ${'data.<path>'}; none: every event in one group.</small
              >
              <${FieldError} id="grouping-by-error" error=${byErrors || undefined} />
            </div>
            <div class="grid3">
              ${DURATIONS.map(
                ([name, label, hint]) =>
                  html`<${DurationField}
                    key=${name}
                    id=${`grouping-${name}`}
                    label=${label}
                    hint=${`${hint}${defaults[name] !== undefined ? ` (default ${inUnit(defaults[name])})` : ''}`}
                    seconds=${v[name]}
                    error=${errors[`grouping.${name}`]}
                    onChange=${(seconds: number | undefined) => {
                      const next = { ...v };
                      if (seconds === undefined) delete next[name];
                      else next[name] = seconds;
                      onChange(next);
                    }}
                  />`,
              )}
            </div>
            <p class="muted small" aria-live="polite">${groupingSummary(v)}</p>`
        : null
    }
    <${FieldError} error=${rest || undefined} />
  </fieldset>`;
}
