import { html, useState } from '../html.js';

/** Text fields that stand for a list, a map or JSON: the schema form's and the notifier form's. */

/**
 * A textarea whose text stands for a value: the text is kept as typed (so that a half-typed
 * line stays), and `parse` turns it into the value on each change (undefined when empty).
 */
export function ParsedTextarea(props: {
  common?: object;
  text: string;
  parse: (raw: string) => unknown;
  onChange: (v: any) => void;
  rows?: number;
  className?: string;
  placeholder?: string;
}) {
  const [text, setText] = useState(props.text);
  return html`<textarea
    rows=${props.rows ?? 3}
    class=${props.className}
    spellcheck="false"
    placeholder=${props.placeholder}
    ...${props.common ?? {}}
    value=${text}
    onInput=${(e: Event) => {
      const raw = (e.target as HTMLTextAreaElement).value;
      setText(raw);
      props.onChange(raw.trim() ? props.parse(raw) : undefined);
    }}
  ></textarea>`;
}

/** `Name: value` lines (also `key = template` with another separator) as an object. */
export const pairsOf = (raw: string, separator = /^\s*([^:]+?)\s*:\s*(.*)$/): Record<string, string> =>
  Object.fromEntries(
    raw
      .split('\n')
      .map((l) => separator.exec(l))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], m[2]]),
  );

/** A list, one entry per line (or comma-separated). */
export function LinesInput({
  common,
  value,
  numbers,
  onChange,
}: {
  common: object;
  value?: unknown[];
  numbers: boolean;
  onChange: (v: unknown) => void;
}) {
  const parse = (raw: string) => {
    const lines = raw
      .split(/[\n,]/)
      .map((l) => l.trim())
      .filter(Boolean);
    return lines.length ? (numbers ? lines.map(Number) : lines) : undefined;
  };
  return html`<${ParsedTextarea} common=${common} text=${(value ?? []).join('\n')} parse=${parse} onChange=${onChange} />`;
}

export function MapInput({ common, value, onChange }: { common: object; value?: Record<string, string>; onChange: (v: unknown) => void }) {
  const text = Object.entries(value ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return html`<${ParsedTextarea} common=${common} rows=${2} text=${text} parse=${(raw: string) => pairsOf(raw)} onChange=${onChange} />`;
}

/** JSON; what does not parse is sent as typed, and the API says what is wrong with it, next to the field. */
export function JsonInput({ common, value, onChange }: { common: object; value?: unknown; onChange: (v: unknown) => void }) {
  const parse = (raw: string) => {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  };
  const text = value === undefined ? '' : JSON.stringify(value, null, 2);
  return html`<${ParsedTextarea} common=${common} rows=${4} className="code" text=${text} parse=${parse} onChange=${onChange} />`;
}
