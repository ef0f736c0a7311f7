import type { EventType } from '../api.js';
import { html, useState } from '../html.js';
import { errorsUnder, FieldError, type FieldErrors } from './ui.js';

/** The event selection, picked from the catalog: every event, categories, or types and globs typed in. */
export function SelectionPicker({
  label,
  value,
  onChange,
  catalog,
  errors,
  path,
  allowAll = true,
}: {
  label: string;
  value: string[];
  onChange: (v: string[]) => void;
  catalog: EventType[];
  errors: FieldErrors;
  path: string;
  allowAll?: boolean;
}) {
  const categories = [...new Set(catalog.map((t) => t.category))].sort();
  const all = value.includes('*');
  const picked = new Set(value);
  const others = value.filter((s) => s !== '*' && !(s.startsWith('@') && categories.includes(s.slice(1))));
  const [text, setText] = useState(others.join(', '));
  const toggle = (selector: string, on: boolean) =>
    onChange(on ? [...value.filter((v) => v !== '*'), selector] : value.filter((v) => v !== selector));
  const id = path.replace(/\W/g, '-');
  return html`<fieldset class=${`selection-picker${errorsUnder(errors, path) ? ' invalid' : ''}`}>
    <legend>${label}</legend>
    ${allowAll ? html`<label class="check"><input type="checkbox" checked=${all} onChange=${(e: Event) => onChange((e.target as HTMLInputElement).checked ? ['*'] : [])} /> Every event of the app (<code>*</code>)</label>` : null}
    <div class="chips" role="group" aria-label="Categories">
      ${categories.map(
        (c) =>
          html`<label class=${`chip${picked.has(`@${c}`) ? ' on' : ''}`}>
            <input
              type="checkbox"
              checked=${picked.has(`@${c}`)}
              disabled=${all}
              onChange=${(e: Event) => toggle(`@${c}`, (e.target as HTMLInputElement).checked)}
            />
            ${c} <span class="muted">${catalog.filter((t) => t.category === c).length}</span>
          </label>`,
      )}
    </div>
    <label for=${`${id}-types`}>Types and globs</label>
    <input
      id=${`${id}-types`}
      list="catalog-types"
      disabled=${all}
      value=${text}
      placeholder="app_crashed, monitor.*"
      spellcheck="false"
      onInput=${(e: Event) => {
        const raw = (e.target as HTMLInputElement).value;
        setText(raw);
        const typed = raw.split(/[\s,]+/).filter(Boolean);
        onChange([...value.filter((v) => v === '*' || (v.startsWith('@') && categories.includes(v.slice(1)))), ...typed]);
      }}
    />
    <datalist id="catalog-types">
      ${catalog.map((t) => html`<option value=${t.type}>${t.displayName}${t.critical ? ' (critical)' : ''}</option>`)}
    </datalist>
    <${FieldError} error=${errorsUnder(errors, path)} />
  </fieldset>`;
}
