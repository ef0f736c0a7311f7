import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What local mode keeps of each outbox, at most: the latest. */
export const MAX_KEPT = 10_000;

/**
 * A list that outlives a restart of local mode: a JSON-lines file in the data dir, appended
 * to as the list grows and read back at start (the latest `max`). Appending keeps a send
 * cheap; the file is rewritten with the latest `max` only once it holds twice that, so it
 * stays bounded. Without a file (tests) it is a list in memory.
 */
export class KeptList<T> {
  readonly items: T[] = [];
  private linesInFile = 0;

  constructor(
    private readonly file?: string,
    private readonly max = MAX_KEPT,
  ) {
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!existsSync(file)) return;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        this.items.push(JSON.parse(line) as T);
      } catch {
        // A line cut short by a crash mid-write: the others still count.
      }
      this.linesInFile++;
    }
    this.trim();
    if (this.linesInFile > this.max) this.rewrite();
  }

  push(...items: T[]): void {
    if (items.length === 0) return;
    this.items.push(...items);
    this.trim();
    if (!this.file) return;
    appendFileSync(this.file, items.map((i) => `${JSON.stringify(i)}\n`).join(''), { mode: 0o600 });
    this.linesInFile += items.length;
    if (this.linesInFile > 2 * this.max) this.rewrite();
  }

  /** Everything replaced (an outbox cleared by its viewer). */
  reset(items: T[] = []): void {
    this.items.splice(0, this.items.length, ...items);
    this.trim();
    if (this.file) this.rewrite();
  }

  private trim(): void {
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
  }

  private rewrite(): void {
    writeAtomically(this.file as string, this.items.map((i) => `${JSON.stringify(i)}\n`).join(''));
    this.linesInFile = this.items.length;
  }
}

/** One JSON value that outlives a restart (a stand-in's state: push subscriptions, open incidents). */
export interface KeptValue<T> {
  readonly value: T | undefined;
  save(value: T): void;
}

export function keptValue<T>(file?: string): KeptValue<T> {
  let value: T | undefined;
  if (file && existsSync(file)) {
    try {
      value = JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch {
      value = undefined; // unreadable: start afresh rather than not start
    }
  }
  return {
    get value() {
      return value;
    },
    save(next) {
      value = next;
      if (!file) return;
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeAtomically(file, JSON.stringify(next));
    },
  };
}

/** Written beside and renamed over, so that a crash leaves the old file or the new one, never half of one. */
function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}
