import { html, useState } from '../html.js';
import { pairsOf, ParsedTextarea } from './text-fields.js';
import { errorsUnder, FieldError, type FieldErrors } from './ui.js';

/** The parts of a notifier that every channel has: quiet hours, throttle, occurrences, overrides. */

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Window = { days: string[]; from: string; to: string };
export type QuietHoursValue = { timeZone: string; windows: Window[]; during?: string; criticalBypass?: boolean };

export function QuietHoursFields({
  value,
  onChange,
  errors,
}: {
  value?: QuietHoursValue | null;
  onChange: (v: QuietHoursValue | null) => void;
  errors: FieldErrors;
}) {
  const on = !!value;
  const v = value ?? {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    windows: [{ days: [...DAYS.slice(0, 5)], from: '22:00', to: '07:00' }],
  };
  const setWindow = (i: number, w: Partial<Window>) => onChange({ ...v, windows: v.windows.map((x, j) => (j === i ? { ...x, ...w } : x)) });
  return html`<fieldset class=${`${errorsUnder(errors, 'quietHours') ? 'invalid' : ''}`}>
    <legend>Quiet hours</legend>
    <label class="check"
      ><input type="checkbox" checked=${on} onChange=${(e: Event) => onChange((e.target as HTMLInputElement).checked ? v : null)} /> Hold
      back or drop deliveries during these windows</label
    >
    ${
      on
        ? html`<div class="grid2">
              <label
                >Time zone
                <input value=${v.timeZone} onInput=${(e: Event) => onChange({ ...v, timeZone: (e.target as HTMLInputElement).value })}
              /></label>
              <label
                >During a window
                <select
                  value=${v.during ?? 'suppress'}
                  onChange=${(e: Event) => onChange({ ...v, during: (e.target as HTMLSelectElement).value })}
                >
                  <option value="suppress">suppress (not sent)</option>
                  <option value="hold">hold (sent when it ends)</option>
                </select>
              </label>
            </div>
            ${v.windows.map(
              (w, i) =>
                html`<div class="window" role="group" aria-label=${`Window ${i + 1}`}>
                  <div class="chips">
                    ${DAYS.map((d) => html`<label class=${`chip${w.days.includes(d) ? ' on' : ''}`}><input type="checkbox" checked=${w.days.includes(d)} onChange=${(e: Event) => setWindow(i, { days: (e.target as HTMLInputElement).checked ? [...w.days, d] : w.days.filter((x) => x !== d) })} /> ${d}</label>`)}
                  </div>
                  <label
                    >From
                    <input
                      type="time"
                      value=${w.from}
                      onInput=${(e: Event) => setWindow(i, { from: (e.target as HTMLInputElement).value })}
                  /></label>
                  <label
                    >To
                    <input type="time" value=${w.to} onInput=${(e: Event) => setWindow(i, { to: (e.target as HTMLInputElement).value })}
                  /></label>
                  <button
                    class="button small ghost"
                    type="button"
                    onClick=${() => onChange({ ...v, windows: v.windows.filter((_, j) => j !== i) })}
                  >
                    Remove
                  </button>
                </div>`,
            )}
            <button
              class="button small"
              type="button"
              onClick=${() => onChange({ ...v, windows: [...v.windows, { days: ['sat', 'sun'], from: '00:00', to: '00:00' }] })}
            >
              Add a window
            </button>
            <label class="check"
              ><input
                type="checkbox"
                checked=${v.criticalBypass === true}
                onChange=${(e: Event) => onChange({ ...v, criticalBypass: (e.target as HTMLInputElement).checked })}
              />
              Critical events go out all the same</label
            >`
        : null
    }
    <${FieldError} error=${errorsUnder(errors, 'quietHours')} />
  </fieldset>`;
}

export type Throttle = false | { limit: number; windowSeconds: number } | undefined;

export function ThrottleFields({
  value,
  onChange,
  errors,
}: {
  value: Throttle;
  onChange: (v: Throttle | null) => void;
  errors: FieldErrors;
}) {
  const mode = value === false ? 'off' : value ? 'custom' : 'default';
  const v = value || { limit: 5, windowSeconds: 60 };
  return html`<fieldset>
    <legend>Repeats of the same problem</legend>
    <select
      aria-label="Throttle"
      value=${mode}
      onChange=${(e: Event) => {
        const m = (e.target as HTMLSelectElement).value;
        onChange(m === 'off' ? false : m === 'custom' ? v : null);
      }}
    >
      <option value="default">Default: 5 in 60 s, for warning and critical events</option>
      <option value="custom">My own limit, for every event</option>
      <option value="off">Never throttle</option>
    </select>
    ${
      mode === 'custom'
        ? html`<div class="grid2">
            <label
              >At most
              <input
                type="number"
                min="1"
                value=${v.limit}
                onInput=${(e: Event) => onChange({ ...v, limit: Number((e.target as HTMLInputElement).value) })}
            /></label>
            <label
              >Within (seconds)
              <input
                type="number"
                min="10"
                value=${v.windowSeconds}
                onInput=${(e: Event) => onChange({ ...v, windowSeconds: Number((e.target as HTMLInputElement).value) })}
            /></label>
          </div>`
        : null
    }
    <${FieldError} error=${errorsUnder(errors, 'throttle')} />
  </fieldset>`;
}

export type Occurrences = { on: number[]; windowSeconds: number } | undefined;

export function OccurrencesFields({
  value,
  onChange,
  errors,
}: {
  value: Occurrences;
  onChange: (v: Occurrences | null) => void;
  errors: FieldErrors;
}) {
  const [text, setText] = useState(value?.on.join(', ') ?? '');
  return html`<fieldset>
    <legend>Occurrences</legend>
    <div class="grid2">
      <label
        >Tell only these occurrences
        <input
          placeholder="2, 5, 12"
          value=${text}
          onInput=${(e: Event) => {
            const raw = (e.target as HTMLInputElement).value;
            setText(raw);
            const on = raw
              .split(/[\s,]+/)
              .filter(Boolean)
              .map(Number);
            onChange(on.length ? { on, windowSeconds: value?.windowSeconds ?? 3600 } : null);
          }}
      /></label>
      <label
        >Within (seconds)
        <input
          type="number"
          min="60"
          value=${value?.windowSeconds ?? 3600}
          disabled=${!value}
          onInput=${(e: Event) => value && onChange({ ...value, windowSeconds: Number((e.target as HTMLInputElement).value) })}
      /></label>
    </div>
    <${FieldError} error=${errorsUnder(errors, 'occurrences')} />
  </fieldset>`;
}

/** Overrides of message parts, one per line: `key = template`. */
export function TemplatesField({
  value,
  onChange,
  errors,
}: {
  value?: Record<string, string>;
  onChange: (v: Record<string, string> | null) => void;
  errors: FieldErrors;
}) {
  const text = Object.entries(value ?? {})
    .map(([k, t]) => `${k} = ${t}`)
    .join('\n');
  return html`<div class=${`field${errorsUnder(errors, 'templates') ? ' invalid' : ''}`}>
    <label for="templates">Message overrides (optional)</label>
    <${ParsedTextarea}
      common=${{ id: 'templates' }}
      className="code"
      text=${text}
      placeholder="app_deployed/de/slack.text = {{ app.name }}: {{ data.commit }} ist live"
      parse=${(raw: string) => pairsOf(raw, /^\s*(\S+)\s*=\s?(.*)$/)}
      onChange=${(v: Record<string, string> | undefined) => onChange(v && Object.keys(v).length ? v : null)}
    />
    <small class="hint">One per line: <code>[type or @category/][locale/]part = template</code>. Try them in Preview.</small>
    <${FieldError} error=${errorsUnder(errors, 'templates')} />
  </div>`;
}
