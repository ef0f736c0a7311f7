import { html, useState } from '../html.js';
import { DurationField, inUnit } from './duration-field.js';
import type { JsonSchema } from './schema-form.js';
import { Field, FieldError, type FieldErrors } from './ui.js';

/** A notifier's digest, as the API takes it: a window, or a schedule (and its time zone). */
export type Digest = { windowSeconds?: number; schedule?: string; timeZone?: string; maxItems?: number; sendFirst?: boolean };

/** The schedules most digests want; any other is typed as a cron pattern. */
const PRESETS = [
  ['0 9 * * 1-5', 'Weekdays at 09:00'],
  ['0 9 * * *', 'Daily at 09:00'],
  ['0 9 * * 1', 'Mondays at 09:00'],
] as const;
const CUSTOM = 'custom';

/** What a digest starts as when turned on, and when its window or schedule is first picked. */
const FIRST_WINDOW = 3600;
const FIRST_SCHEDULE = PRESETS[0][0];

/** Every IANA time zone the browser knows, suggested (Herald checks the one typed). */
const TIME_ZONES: readonly string[] = Intl.supportedValuesOf?.('timeZone') ?? [];

/** "digest every 1 h" or "digest 0 9 * * 1-5 Europe/Berlin · max 50 · first at once", as the notifier list and the form say it. */
export function digestSummary(d: Digest): string {
  const when =
    d.schedule !== undefined
      ? `digest ${d.schedule}${d.timeZone ? ` ${d.timeZone}` : ''}`
      : `digest every ${d.windowSeconds !== undefined ? inUnit(d.windowSeconds) : '…'}`;
  return [when, d.maxItems !== undefined ? `max ${d.maxItems}` : '', d.sendFirst ? 'first at once' : ''].filter(Boolean).join(' · ');
}

/**
 * A notifier's digest: on or off; a window (a length with its unit) or a schedule (a preset
 * or a cron pattern, and its time zone); how many events end a window early; whether a
 * window's first event is sent at once. The API's errors show at the field they name
 * (`digest.windowSeconds`, `digest.schedule`, `digest.maxItems`); the rest under the fieldset.
 */
export function DigestFields({
  value,
  onChange,
  errors,
  schema,
  timeZone,
}: {
  value?: Digest | null;
  onChange: (v: Digest | null) => void;
  errors: FieldErrors;
  schema?: JsonSchema;
  /** The notifier's own time zone: a schedule's, unless it has one. */
  timeZone?: string;
}) {
  const on = !!value;
  const v: Digest = value ?? { windowSeconds: FIRST_WINDOW };
  const scheduled = v.schedule !== undefined;
  // What the other way had, so that switching back and forth loses nothing.
  const [kept, setKept] = useState<Digest>({});
  const switchTo = (schedule: boolean) => {
    if (schedule === scheduled) return;
    const { windowSeconds, schedule: pattern, timeZone: zone, ...rest } = v;
    setKept({ ...kept, ...(schedule ? { windowSeconds } : { schedule: pattern, timeZone: zone }) });
    onChange(
      schedule
        ? { ...rest, schedule: kept.schedule ?? FIRST_SCHEDULE, ...(kept.timeZone ? { timeZone: kept.timeZone } : {}) }
        : { ...rest, windowSeconds: kept.windowSeconds ?? FIRST_WINDOW },
    );
  };
  const set = (field: keyof Digest, next: unknown) => {
    const d: Record<string, unknown> = { ...v };
    if (next === undefined) delete d[field];
    else d[field] = next;
    onChange(d as Digest);
  };
  const max = schema?.properties?.['maxItems'];
  // Neither a window nor a schedule is said at the window (the API names windowSeconds).
  const whenError = scheduled ? (errors['digest.schedule'] ?? errors['digest.windowSeconds']) : errors['digest.windowSeconds'];
  const shown = ['digest.windowSeconds', 'digest.schedule', 'digest.timeZone', 'digest.maxItems'];
  const rest = Object.entries(errors)
    .filter(([path]) => (path === 'digest' || path.startsWith('digest.')) && !shown.includes(path))
    .map(([path, message]) => `${path === 'digest' ? '' : `${path}: `}${message}`)
    .join('; ');
  const maxField = html`<${Field}
    id="digest-maxItems"
    label="At most (optional)"
    hint=${`events: a full window is sent at once${max ? ` (${max.minimum}–${max.maximum})` : ''}`}
    error=${errors['digest.maxItems']}
  >
    <input
      id="digest-maxItems"
      type="number"
      min=${max?.minimum}
      max=${max?.maximum}
      value=${v.maxItems ?? ''}
      aria-invalid=${errors['digest.maxItems'] ? 'true' : undefined}
      onInput=${(e: Event) => {
        const raw = (e.target as HTMLInputElement).value;
        set('maxItems', raw === '' ? undefined : Number(raw));
      }}
    />
  <//>`;
  const preset = PRESETS.some(([cron]) => cron === v.schedule) ? v.schedule : CUSTOM;
  return html`<fieldset class=${`digest${rest ? ' invalid' : ''}`}>
    <legend>Digest</legend>
    <label class="check"
      ><input type="checkbox" checked=${on} onChange=${(e: Event) => onChange((e.target as HTMLInputElement).checked ? v : null)} />
      Tell a window's events in one message</label
    >
    ${
      on
        ? html`<div class="choice" role="radiogroup" aria-label="Digest by">
              <label class="check"
                ><input type="radio" name="digest-by" checked=${!scheduled} onChange=${() => switchTo(false)} /> A window from its first
                event</label
              >
              <label class="check"
                ><input type="radio" name="digest-by" checked=${scheduled} onChange=${() => switchTo(true)} /> On a schedule</label
              >
            </div>
            ${
              scheduled
                ? html`<div class="grid3">
                    <${Field} id="digest-preset" label="Schedule">
                      <select
                        id="digest-preset"
                        value=${preset}
                        onChange=${(e: Event) => {
                          const picked = (e.target as HTMLSelectElement).value;
                          if (picked !== CUSTOM) set('schedule', picked);
                          else document.getElementById('digest-schedule')?.focus();
                        }}
                      >
                        ${PRESETS.map(([cron, label]) => html`<option value=${cron}>${label}</option>`)}
                        <option value=${CUSTOM}>Custom (cron)</option>
                      </select>
                    <//>
                    <${Field}
                      id="digest-schedule"
                      label="Cron pattern"
                      hint="minute hour day month weekday (6 fields: seconds first)"
                      error=${whenError}
                    >
                      <input
                        id="digest-schedule"
                        value=${v.schedule}
                        spellcheck="false"
                        aria-invalid=${whenError ? 'true' : undefined}
                        onInput=${(e: Event) => set('schedule', (e.target as HTMLInputElement).value)}
                      />
                    <//>
                    <${Field}
                      id="digest-timeZone"
                      label="Time zone"
                      hint=${`IANA (default ${timeZone ? `the notifier's, ${timeZone}` : 'UTC'})`}
                      error=${errors['digest.timeZone']}
                    >
                      <input
                        id="digest-timeZone"
                        list="digest-time-zones"
                        value=${v.timeZone ?? ''}
                        placeholder=${timeZone ?? 'UTC'}
                        spellcheck="false"
                        onInput=${(e: Event) => set('timeZone', (e.target as HTMLInputElement).value || undefined)}
                      />
                      <datalist id="digest-time-zones">${TIME_ZONES.map((z) => html`<option value=${z}></option>`)}</datalist>
                    <//>
                  </div>
                  <div class="grid3">${maxField}</div>`
                : html`<div class="grid3">
                    <${DurationField}
                      id="digest-windowSeconds"
                      label="Window"
                      hint="from its first event; then one message"
                      seconds=${v.windowSeconds}
                      error=${whenError}
                      onChange=${(seconds: number | undefined) => set('windowSeconds', seconds)}
                    />
                    ${maxField}
                  </div>`
            }
            <label class="check"
              ><input
                type="checkbox"
                checked=${!!v.sendFirst}
                onChange=${(e: Event) => set('sendFirst', (e.target as HTMLInputElement).checked || undefined)}
              />
              Send a window's first event at once, digest the rest</label
            >
            <p class="muted small" aria-live="polite">${digestSummary(v)}</p>`
        : null
    }
    <${FieldError} error=${rest || undefined} />
  </fieldset>`;
}
