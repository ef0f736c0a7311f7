import { html } from '../html.js';
import { FieldError, type FieldErrors } from './ui.js';

export interface Person {
  id: string;
  name: string;
  appId: string;
}

/** The API's errors for a list of ids: `members[2]` (the services name the id at fault so) and `members.2` alike. */
export function listErrors(errors: FieldErrors, field: string): string | undefined {
  const found = Object.entries(errors).filter(([p]) => p === field || p.startsWith(`${field}[`) || p.startsWith(`${field}.`));
  return found.length ? found.map(([, m]) => m).join('; ') : undefined;
}

/**
 * Contacts or groups to pick, one checkbox each (a chip): a group's members, whom a notifier
 * or an escalation step reaches. Installation-wide ones say so where the list is an app's.
 */
export function PeoplePicker({
  id,
  legend,
  options,
  value,
  onChange,
  errors,
  field,
  empty,
}: {
  id: string;
  legend: string;
  options: Person[];
  value: string[];
  onChange: (ids: string[]) => void;
  errors: FieldErrors;
  /** The request body's field these ids go to, for the API's errors. */
  field: string;
  empty: string;
}) {
  const error = listErrors(errors, field);
  const mixed = options.some((o) => o.appId === '*') && options.some((o) => o.appId !== '*');
  // An id no longer among them (deleted meanwhile) stays listed, by its id, so it can be unticked.
  const missing = value.filter((v) => !options.some((o) => o.id === v)).map((v) => ({ id: v, name: v, appId: '' }));
  return html`<fieldset id=${id} class=${`people${error ? ' invalid' : ''}`} aria-describedby=${error ? `${id}-error` : undefined}>
    <legend>${legend}</legend>
    ${options.length || missing.length ? null : html`<p class="muted small">${empty}</p>`}
    <div class="chips">
      ${[...options, ...missing].map((o) => {
        const on = value.includes(o.id);
        return html`<label class=${`chip${on ? ' on' : ''}`} title=${o.id}
          ><input
            type="checkbox"
            checked=${on}
            onChange=${(e: Event) => onChange((e.target as HTMLInputElement).checked ? [...value, o.id] : value.filter((v) => v !== o.id))}
          />
          ${o.name}${mixed && o.appId === '*' ? html` <span class="muted">(all apps)</span>` : null}</label
        >`;
      })}
    </div>
    <${FieldError} error=${error} id=${`${id}-error`} />
  </fieldset>`;
}
