import { readFileSync } from 'node:fs';

/**
 * A sample event from test/events/, with each `${NAME}` in its strings replaced by
 * `values[NAME]` (a string: a key, a JSON body, a message's receipt handle).
 */
export function sampleEvent(file: string, values: Record<string, string> = {}): any {
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
        const value = values[name];
        if (value === undefined) throw new Error(`test/events/${file}: no value for \${${name}}`);
        return value;
      });
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(JSON.parse(readFileSync(new URL(`../events/${file}`, import.meta.url), 'utf8')));
}
