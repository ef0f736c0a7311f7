import { html } from '../html.js';
import type { Person } from './people-picker.js';
import { FieldError } from './ui.js';

/** Whom an escalation step or a failover names: a notifier, a contact or a group (`{"contact": id}`). */
export type EntryKind = 'notifier' | 'contact' | 'group';
export type Entry = Partial<Record<EntryKind, string>>;
export type EntryOptions = Partial<Record<EntryKind, Person[]>>;

const KINDS: [EntryKind, string][] = [
  ['notifier', 'Notifiers'],
  ['contact', 'Contacts'],
  ['group', 'Groups'],
];
const keyOf = (e: Entry): string => {
  const [kind, id] = Object.entries(e)[0] ?? ['', ''];
  return `${kind}:${id}`;
};
const entryOf = (key: string): Entry => {
  const [kind = 'notifier', id = ''] = key.split(/:(.*)/);
  return { [kind]: id };
};

/** An entry's name among the options (its id when it is not among them: deleted, or another app's). */
export function entryName(e: Entry, options: EntryOptions): string {
  const [kind, id] = Object.entries(e)[0] ?? [];
  return options[kind as EntryKind]?.find((o) => o.id === id)?.name ?? id ?? '?';
}

/**
 * A list of entries, one select per row (the notifiers, contacts and groups it may name, by
 * kind), each with Remove, and Up where the order counts (a failover tries them in order).
 */
export function EntryList({
  id,
  legend,
  options,
  value,
  onChange,
  error,
  ordered,
  addLabel,
}: {
  id: string;
  legend: string;
  options: EntryOptions;
  value: Entry[];
  onChange: (entries: Entry[]) => void;
  error?: string | undefined;
  ordered?: boolean;
  addLabel: string;
}) {
  const all = KINDS.flatMap(([kind]) => (options[kind] ?? []).map((o) => keyOf({ [kind]: o.id })));
  const unused = all.find((k) => !value.some((e) => keyOf(e) === k));
  const move = (i: number) => onChange(value.map((e, j) => (j === i - 1 ? value[i] : j === i ? value[i - 1] : e) as Entry));
  return html`<fieldset id=${id} class=${`entries nested${error ? ' invalid' : ''}`} aria-describedby=${error ? `${id}-error` : undefined}>
    <legend>${legend}</legend>
    ${value.length ? null : html`<p class="muted small">Nobody yet.</p>`}
    ${value.map((entry, i) => {
      const name = entryName(entry, options);
      return html`<div class="entry-row">
        <select
          aria-label=${`${legend}: ${i + 1}`}
          value=${keyOf(entry)}
          onChange=${(e: Event) => onChange(value.map((x, j) => (j === i ? entryOf((e.target as HTMLSelectElement).value) : x)))}
        >
          ${all.includes(keyOf(entry)) ? null : html`<option value=${keyOf(entry)}>${name}</option>`}
          ${KINDS.filter(([kind]) => options[kind]?.length).map(
            ([kind, label]) =>
              html`<optgroup label=${label}>
                ${options[kind]?.map((o) => html`<option value=${keyOf({ [kind]: o.id })}>${o.name}</option>`)}
              </optgroup>`,
          )}
        </select>
        ${ordered ? html`<button class="button small ghost" type="button" disabled=${i === 0} aria-label=${`Move ${name} up`} onClick=${() => move(i)}>Up</button>` : null}
        <button class="button small ghost" type="button" aria-label=${`Remove ${name}`} onClick=${() => onChange(value.filter((_, j) => j !== i))}>
          Remove
        </button>
      </div>`;
    })}
    <${FieldError} error=${error} id=${`${id}-error`} />
    <button class="button small" type="button" disabled=${!unused} onClick=${() => unused && onChange([...value, entryOf(unused)])}>
      ${addLabel}
    </button>
  </fieldset>`;
}
