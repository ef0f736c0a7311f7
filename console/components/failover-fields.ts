import { html } from '../html.js';
import { DurationField, inUnit } from './duration-field.js';
import { EntryList, entryName, type Entry, type EntryOptions } from './entry-list.js';
import { listErrors } from './people-picker.js';
import { errorsUnder, type FieldErrors } from './ui.js';

export type Failover = { to: Entry[]; afterSeconds?: number };

/** "fails over to Backup mail, then Anna (after 15 min)". */
export function failoverSummary(f: Failover, options: EntryOptions): string {
  return `fails over to ${f.to.map((e) => entryName(e, options)).join(', then ')} (after ${inUnit(f.afterSeconds ?? 900)})`;
}

/**
 * A notifier's failover: when one of its deliveries ends failed or dead, or is still not sent
 * after a while, the next of an ordered list gets the event. Off: no failover (null).
 */
export function FailoverFields({
  value,
  onChange,
  options,
  errors,
}: {
  value?: Failover | null | undefined;
  onChange: (v: Failover | null) => void;
  options: EntryOptions;
  errors: FieldErrors;
}) {
  return html`<fieldset class=${`failover${errorsUnder(errors, 'failover') ? ' invalid' : ''}`}>
    <legend>Failover</legend>
    <label class="check"
      ><input type="checkbox" checked=${!!value} onChange=${(e: Event) => onChange((e.target as HTMLInputElement).checked ? { to: [] } : null)} />
      When a delivery fails, dies or is late, try the next of a list</label
    >
    ${
      value
        ? html`<${EntryList}
              id="failover-to"
              legend="Fail over to, in order"
              options=${options}
              value=${value.to}
              ordered
              onChange=${(to: Entry[]) => onChange({ ...value, to })}
              error=${listErrors(errors, 'failover.to') ?? errors['failover']}
              addLabel="Add a fallback"
            />
            <${DurationField}
              id="failover-after"
              label="Late after"
              hint="a delivery not sent after this long is failed over too (default 15 min)"
              seconds=${value.afterSeconds}
              error=${errors['failover.afterSeconds']}
              onChange=${(s: number | undefined) => {
                const { afterSeconds: _old, ...rest } = value;
                onChange(s === undefined ? rest : { ...rest, afterSeconds: s });
              }}
            />
            ${value.to.length ? html`<p class="muted small failover-summary" aria-live="polite">${failoverSummary(value, options)}</p>` : null}`
        : null
    }
  </fieldset>`;
}
