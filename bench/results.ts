import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_DIR = 'bench/results';
const LATEST = join(RESULTS_DIR, 'latest.json');
const PREVIOUS = join(RESULTS_DIR, 'previous.json');

/**
 * Writes the run's figures to bench/results/latest.json, the file before moved to
 * previous.json, and returns that previous run's figures (undefined for a first run).
 */
export function saveResults(figures: object): Record<string, unknown> | undefined {
  mkdirSync(RESULTS_DIR, { recursive: true });
  let previous: Record<string, unknown> | undefined;
  if (existsSync(LATEST)) {
    previous = JSON.parse(readFileSync(LATEST, 'utf8')) as Record<string, unknown>;
    renameSync(LATEST, PREVIOUS);
  }
  writeFileSync(LATEST, `${JSON.stringify(figures, null, 2)}\n`);
  return previous;
}

/** Every number in a result file, by its path (`costPerMillion.single.2`). */
export function flatten(value: unknown, prefix = ''): Map<string, number> {
  const out = new Map<string, number>();
  if (typeof value === 'number') out.set(prefix, value);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) for (const [p, n] of flatten(v, prefix ? `${prefix}.${k}` : k)) out.set(p, n);
  return out;
}

/** The figures that moved by more than `threshold` (a fraction) since the previous run, as lines to print. */
export function changes(previous: unknown, latest: unknown, threshold = 0.02): string[] {
  const before = flatten(previous);
  const after = flatten(latest);
  const lines: string[] = [];
  for (const [path, now] of after) {
    const then = before.get(path);
    if (then === undefined) continue;
    const moved = then === 0 ? (now === 0 ? 0 : Infinity) : Math.abs(now - then) / Math.abs(then);
    if (moved > threshold) {
      const sign = now > then ? '+' : '';
      const pct = Number.isFinite(moved) ? ` (${sign}${(((now - then) / Math.abs(then)) * 100).toFixed(0)} %)` : '';
      lines.push(`${path}: ${round(then)} → ${round(now)}${pct}`);
    }
  }
  const gone = [...before.keys()].filter((p) => !after.has(p));
  const added = [...after.keys()].filter((p) => !before.has(p));
  if (added.length) lines.push(`new figures: ${added.slice(0, 8).join(', ')}${added.length > 8 ? ` and ${added.length - 8} more` : ''}`);
  if (gone.length)
    lines.push(`figures no longer measured: ${gone.slice(0, 8).join(', ')}${gone.length > 8 ? ` and ${gone.length - 8} more` : ''}`);
  return lines;
}

const round = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3));
