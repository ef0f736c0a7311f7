import { html, useState } from '../html.js';
import { FieldError } from './ui.js';

/** The units a duration is typed in (grouping's and a digest's), largest last. */
const UNITS = [
  ['s', 1],
  ['min', 60],
  ['h', 3600],
  ['d', 86_400],
] as const;

/** The largest unit that tells the seconds exactly: 14400 is 4 h, 90 is 90 s. */
const unitOf = (seconds: number | undefined) =>
  [...UNITS].reverse().find(([, size]) => seconds !== undefined && seconds >= size && seconds % size === 0) ?? UNITS[0];

/** Seconds in the unit the fields would show them in: "4 h", "90 s". */
export const inUnit = (seconds: number): string => {
  const [unit, size] = unitOf(seconds);
  return `${seconds / size} ${unit}`;
};

/** A number of seconds as an amount and a unit (s, min, h, d); left empty, undefined (the API's default). */
export function DurationField(props: {
  id: string;
  label: string;
  hint: string;
  seconds?: number | undefined;
  error?: string | undefined;
  onChange: (seconds: number | undefined) => void;
}) {
  const { id, label, hint, seconds, error, onChange } = props;
  const [unit, setUnit] = useState<number>(() => unitOf(seconds)[1]);
  const [text, setText] = useState(seconds === undefined ? '' : String(seconds / unit));
  const secondsOf = (raw: string, size: number) => (raw.trim() === '' ? undefined : Number(raw) * size);
  return html`<div class=${`field${error ? ' invalid' : ''}`}>
    <label for=${id}>${label}</label>
    <div class="amount">
      <input
        id=${id}
        type="number"
        min="0"
        step="any"
        value=${text}
        aria-invalid=${error ? 'true' : undefined}
        aria-describedby=${error ? `${id}-error` : `${id}-hint`}
        onInput=${(e: Event) => {
          const raw = (e.target as HTMLInputElement).value;
          setText(raw);
          onChange(secondsOf(raw, unit));
        }}
      />
      <select
        aria-label=${`${label}: unit`}
        value=${unit}
        onChange=${(e: Event) => {
          const size = Number((e.target as HTMLSelectElement).value);
          setUnit(size);
          onChange(secondsOf(text, size));
        }}
      >
        ${UNITS.map(([u, size]) => html`<option value=${size}>${u}</option>`)}
      </select>
    </div>
    <small class="hint" id=${`${id}-hint`}>${hint}</small>
    <${FieldError} id=${`${id}-error`} error=${error} />
  </div>`;
}
