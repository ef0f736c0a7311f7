import { html } from '../html.js';
import { JsonInput, LinesInput, MapInput } from './text-fields.js';
import { errorsUnder, Field, type FieldErrors } from './ui.js';

/**
 * A form made from a JSON schema: the target schema of a channel, as /openapi.json gives it
 * (NotifierCreate's variants, the same schemas the API validates with), so that a new
 * channel needs no console code. Strings, numbers, booleans and enums get inputs; lists of
 * strings a textarea, one per line; string maps `Name: value` lines; nested objects a
 * fieldset; anything else JSON. The API's errors show next to the field their path names.
 */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
}

type Value = Record<string, unknown>;

export function labelOf(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  const named = words.replace(/\burl\b/g, 'URL');
  return (named[0]?.toUpperCase() ?? '') + named.slice(1);
}

const isSimple = (s: JsonSchema): boolean =>
  ['string', 'integer', 'number', 'boolean'].includes(s.type ?? '') ||
  (s.type === 'array' && ['string', 'integer'].includes(s.items?.type ?? '')) ||
  (s.type === 'object' && !s.properties && typeof s.additionalProperties === 'object' && s.additionalProperties.type === 'string');

export function SchemaForm(props: {
  schema: JsonSchema;
  value: Value;
  onChange: (value: Value) => void;
  errors: FieldErrors;
  /** The path of this object in the request body, for the API's errors (`target`). */
  path: string;
  /** Placeholders for a masked secret: the field shows it was set, and is left alone unless typed over. */
  masked?: Value;
}) {
  const { schema, value, onChange, errors, path } = props;
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {});
  const set = (name: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) delete next[name];
    else next[name] = v;
    onChange(next);
  };
  const field = ([name, s]: [string, JsonSchema]) =>
    html`<${SchemaField}
      key=${name}
      name=${name}
      schema=${s}
      required=${required.has(name)}
      value=${value[name]}
      masked=${props.masked?.[name]}
      onChange=${(v: unknown) => set(name, v)}
      errors=${errors}
      path=${`${path}.${name}`}
    />`;
  const main = entries.filter(([n, s]) => required.has(n) || isSimple(s));
  const more = entries.filter(([n, s]) => !required.has(n) && !isSimple(s));
  return html`<div class="schema-form">
    ${main.map(field)}
    ${
      more.length
        ? html`<details class="more" open=${more.some(([n]) => value[n] !== undefined || errorsUnder(errors, `${path}.${n}`))}>
            <summary>More settings</summary>
            ${more.map(field)}
          </details>`
        : null
    }
  </div>`;
}

function SchemaField(props: {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  masked?: unknown;
  onChange: (v: unknown) => void;
  errors: FieldErrors;
  path: string;
}) {
  const { name, schema: s, value, onChange, path } = props;
  const id = `f-${path.replace(/\W/g, '-')}`;
  const label = `${labelOf(name)}${props.required ? '' : ' (optional)'}`;
  const error = errorsUnder(props.errors, path);
  const hint = s.description ?? hintOf(s);
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-describedby': described, 'aria-invalid': error ? 'true' : undefined };

  if (s.type === 'boolean') {
    return html`<div class=${`field check${error ? ' invalid' : ''}`}>
      <label
        ><input
          type="checkbox"
          ...${common}
          checked=${value === true}
          onChange=${(e: Event) => onChange((e.target as HTMLInputElement).checked || undefined)}
        />
        ${label}</label
      >
      ${error ? html`<small class="field-error" id=${`${id}-error`} role="alert">${error}</small>` : null}
    </div>`;
  }
  let input;
  if (s.enum) {
    input = html`<select
      ...${common}
      value=${String(value ?? '')}
      onChange=${(e: Event) => onChange((e.target as HTMLSelectElement).value || undefined)}
    >
      ${props.required ? null : html`<option value="">(default)</option>`}
      ${s.enum.map((o) => html`<option value=${String(o)}>${String(o)}</option>`)}
    </select>`;
  } else if (s.type === 'integer' || s.type === 'number') {
    input = html`<input
      type="number"
      ...${common}
      value=${value === undefined ? '' : String(value)}
      min=${s.minimum}
      max=${s.maximum}
      onInput=${(e: Event) => {
        const raw = (e.target as HTMLInputElement).value;
        onChange(raw === '' ? undefined : Number(raw));
      }}
    />`;
  } else if (s.type === 'string') {
    const secret = props.masked !== undefined && value === undefined;
    input = html`<input
      type="text"
      autocomplete="off"
      spellcheck="false"
      ...${common}
      value=${String(value ?? '')}
      placeholder=${secret ? `${String(props.masked)} (kept unless you type a new one)` : ''}
      onInput=${(e: Event) => onChange((e.target as HTMLInputElement).value || undefined)}
    />`;
  } else if (s.type === 'array' && ['string', 'integer'].includes(s.items?.type ?? '')) {
    input = html`<${LinesInput}
      common=${common}
      value=${value as unknown[] | undefined}
      numbers=${s.items?.type === 'integer'}
      onChange=${onChange}
    />`;
  } else if (isSimple(s)) {
    input = html`<${MapInput} common=${common} value=${value as Record<string, string> | undefined} onChange=${onChange} />`;
  } else if (s.type === 'object' && s.properties) {
    return html`<fieldset class=${`nested${error ? ' invalid' : ''}`}>
      <legend>${label}</legend>
      <${SchemaForm}
        schema=${s}
        value=${(value as Value) ?? {}}
        onChange=${(v: Value) => onChange(Object.keys(v).length ? v : undefined)}
        errors=${props.errors}
        path=${path}
      />
    </fieldset>`;
  } else {
    input = html`<${JsonInput} common=${common} value=${value} onChange=${onChange} />`;
  }
  return html`<${Field} id=${id} label=${label} hint=${hint} error=${error}>${input}<//>`;
}

function hintOf(s: JsonSchema): string | undefined {
  if (s.type === 'array')
    return `One per line${s.items?.format === 'email' ? ': email addresses' : s.items?.pattern ? `, as ${s.items.pattern}` : ''}.`;
  if (s.format === 'uuid') return 'A UUID.';
  if (s.pattern) return `Format: ${s.pattern}`;
  if (s.type === 'object' && !s.properties) return 'One per line: Name: value';
  if (s.type === 'object' || s.type === 'array') return 'JSON.';
  return undefined;
}

/** A notifier's schemas, from /openapi.json (public: no key needed). */
export interface NotifierSchemas {
  /** Each channel's target. */
  targets: Record<string, JsonSchema>;
  /** The fields every channel has (grouping's defaults and bounds among them), and those of the variants without a channel (escalation). */
  fields: Record<string, JsonSchema>;
  /** Whom an escalation step or a failover may name: `notifier`, and `contact` and `group` where the API takes them. */
  entryKinds: string[];
}

export async function loadNotifierSchemas(): Promise<NotifierSchemas> {
  const doc = (await (await fetch('/openapi.json')).json()) as {
    components: { schemas: Record<string, JsonSchema & { oneOf?: JsonSchema[] }> };
  };
  const schemas = doc.components.schemas;
  const variants = schemas['NotifierCreate']?.oneOf ?? [];
  const targets = Object.fromEntries(
    variants.map((v) => {
      const channel = v.properties?.['channel'];
      return [String(channel?.enum?.[0] ?? channel?.const), v.properties?.['target'] as JsonSchema];
    }),
  );
  const fields = Object.assign({}, ...[...variants].reverse().map((v) => v.properties ?? {})) as Record<string, JsonSchema>;
  const entry = schemas['NotifyEntry'] as (JsonSchema & { oneOf?: JsonSchema[]; anyOf?: JsonSchema[] }) | undefined;
  const entryKinds = [entry, ...(entry?.oneOf ?? []), ...(entry?.anyOf ?? [])].flatMap((e) => Object.keys(e?.properties ?? {}));
  return { targets, fields, entryKinds: [...new Set(entryKinds)] };
}
