import { styleText } from 'node:util';

/**
 * What commands print: one printer for people (aligned tables, key-value blocks, colours on a
 * terminal only, relative times) and one for scripts (`--json`: the API's answer as it came).
 */

export interface Output {
  json: boolean;
  /** Print the answer: as JSON with --json, else as `human` draws it. */
  result(value: unknown, human: () => void): void;
  line(text?: string): void;
  table(rows: Record<string, unknown>[], columns: string[]): void;
  fields(pairs: [string, unknown][]): void;
  colour: (style: Style, text: string) => string;
  /** A list with a next page (its nextCursor): "More than 20: the next ones with --cursor …" on stderr, for people only (--json keeps nextCursor). */
  more(shown: number, nextCursor: string | null | undefined): void;
  /** Progress on stderr, on a terminal only: "[#####-----] 12/20 webhook". */
  progress(done: number, total: number, label: string): void;
}

export type Style = 'red' | 'green' | 'yellow' | 'dim' | 'bold' | 'cyan';

export function createOutput({ json, color }: { json: boolean; color: boolean }): Output {
  const colourOn = color && process.stdout.isTTY === true && !process.env['NO_COLOR'] && process.env['TERM'] !== 'dumb';
  const colour = (style: Style, text: string) => (colourOn ? styleText(style, text) : text);
  const line = (text = '') => process.stdout.write(`${text}\n`);
  return {
    json,
    colour,
    line,
    result(value, human) {
      // Like gh: indented for a person at a terminal, one line for a pipe (one answer per line).
      if (json) line(process.stdout.isTTY ? JSON.stringify(value, null, 2) : JSON.stringify(value));
      else human();
    },
    table(rows, columns) {
      if (rows.length === 0) return line(colour('dim', '(none)'));
      const cells = rows.map((row) => columns.map((c) => text(row[c])));
      const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => width(r[i] ?? ''))));
      const render = (values: string[], style?: (s: string, i: number) => string) =>
        values
          .map((v, i) => (i === values.length - 1 ? v : v + ' '.repeat((widths[i] ?? 0) - width(v))))
          .map((v, i) => (style ? style(v, i) : v))
          .join('  ')
          .trimEnd();
      line(colour('bold', render(columns.map((c) => c.toUpperCase()))));
      for (const r of cells) line(render(r, (v, i) => (columns[i] === 'status' ? colourStatus(colour, v) : v)));
    },
    fields(pairs) {
      const w = Math.max(...pairs.map(([k]) => k.length));
      for (const [k, v] of pairs) if (v !== undefined) line(`${colour('dim', `${k}:`.padEnd(w + 1))} ${text(v)}`);
    },
    more(shown, nextCursor) {
      if (json || !nextCursor) return;
      process.stderr.write(`More than ${shown}: the next ones with --cursor ${nextCursor}\n`);
    },
    progress(done, total, label) {
      if (json || !process.stderr.isTTY) return;
      const filled = total ? Math.round((done / total) * 20) : 20;
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${done}/${total} ${label}\x1b[K${done >= total ? '\n' : ''}`,
      );
    },
  };
}

/** A status in its colour: green done, red failed, yellow held or pending, cyan grouped or coalesced (carried by another notification). */
export function colourStatus(colour: Output['colour'], status: string): string {
  const style: Style | undefined = /^(sent|ok|valid|resolved)/.test(status)
    ? 'green'
    : /^(failed|dead|invalid|open)/.test(status)
      ? 'red'
      : /^(retrying|queued|suppressed|acknowledged)/.test(status)
        ? 'yellow'
        : /^(grouped|coalesced)/.test(status)
          ? 'cyan'
          : undefined;
  return style ? colour(style, status) : status;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Columns a string takes on a terminal (code points; an emoji may take two, which tables tolerate). */
const width = (s: string) => [...s].length;

const UNITS: [string, number][] = [
  ['d', 86_400],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];

/**
 * "12s ago", "3m ago", "5h ago", "2d ago"; "in 4m" for the future. `units: 2` adds the next
 * unit ("in 1h 59m"), where the first alone would mislead (a silence created for 2h ends "in 1h").
 */
export function relativeTime(iso: string | undefined, now = Date.now(), units: 1 | 2 = 1): string {
  if (!iso) return '';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  const abs = Math.abs(seconds);
  const at = UNITS.findIndex(([, size]) => abs >= size);
  const [unit, size] = UNITS[at === -1 ? UNITS.length - 1 : at] as [string, number];
  let amount = `${Math.floor(abs / size)}${unit}`;
  const [nextUnit, nextSize] = UNITS[at + 1] ?? [];
  const rest = nextSize ? Math.floor((abs % size) / nextSize) : 0;
  if (units === 2 && at !== -1 && nextUnit && rest > 0) amount += ` ${rest}${nextUnit}`;
  return seconds >= 0 ? `${amount} ago` : `in ${amount}`;
}

/** Seconds as duration options take them: 30s, 5m, 4h, 1h30m, 1d. */
export function durationText(seconds: number): string {
  let rest = seconds;
  const parts = UNITS.flatMap(([unit, size]) => {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    return amount ? [`${amount}${unit}`] : [];
  });
  return parts.join('') || '0s';
}

/** A clock time for a line of `tail`: 12:03:04, local time. */
export function clockTime(iso: string): string {
  return new Date(iso).toTimeString().slice(0, 8);
}

/** A channel's target in a few words, a notifier's or a contact's: its recipients or URL (already masked by Herald). */
export function targetText(target: Record<string, unknown>): string {
  const main =
    target['to'] ?? target['url'] ?? target['chatId'] ?? target['topic'] ?? target['serverUrl'] ?? target['externalIds'] ?? target['users'];
  return Array.isArray(main) ? main.join(', ') : String(main ?? Object.keys(target).join(', '));
}
