import {
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';

/** One change to the store or the queues, as a JSON array: its kind first (see engine.ts). */
export type Entry = readonly unknown[];

/** The first line of every journal and snapshot file: what wrote it, so that a later version knows how to read it. */
const HEADER = JSON.stringify({ herald: 'store', v: 1 });

const journalName = (generation: number) => `journal-${String(generation).padStart(6, '0')}.jsonl`;
const snapshotName = (generation: number) => `snapshot-${String(generation).padStart(6, '0')}.jsonl`;
const generationOf = (name: string) => Number(/-(\d+)\.jsonl$/.exec(name)?.[1] ?? NaN);

/**
 * Where the embedded store's changes are kept: an append-only file of JSON lines, written
 * with group commit. Every change made while a write is under way goes in the next one,
 * and each write ends with fdatasync; `durable()` resolves once every change appended
 * before it is on the disk (a kill -9 or a power cut keeps it). `append` hands back
 * nothing: what must be kept before an answer leaves waits for `durable()` once, not for
 * each change. Snapshots compact it: a
 * snapshot of generation N is the whole state when journal N began, so the state is the
 * newest complete snapshot and the journals from its generation on, replayed in order.
 */
export class Journal {
  private pending: string[] = [];
  private waiting: { resolve: () => void; reject: (err: Error) => void }[] = [];
  private writing: Promise<void> | undefined;
  /** The write under way, resolved once it is on the disk (or failed). */
  private flushing: Promise<void> | undefined;
  private broken: Error | undefined;
  /** While the journal changes files, appends wait. */
  private holding = false;
  /** Bytes in the current journal file: when to compact. */
  bytes = 0;

  private constructor(
    private readonly dir: string,
    private generation: number,
    private fd: number,
  ) {}

  /**
   * Opens the journal in `dir` (made if missing), replaying every entry kept there in the
   * order written. A last line cut short by a crash is dropped (it was never acknowledged).
   */
  static async open(dir: string, replay: (entry: Entry) => void): Promise<Journal> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const names = readdirSync(dir);
    const snapshots = names.filter((n) => /^snapshot-\d+\.jsonl$/.test(n)).map(generationOf);
    const base = snapshots.length ? Math.max(...snapshots) : 0;
    if (snapshots.length) replayFile(join(dir, snapshotName(base)), replay, false);
    const journals = names
      .filter((n) => /^journal-\d+\.jsonl$/.test(n))
      .map(generationOf)
      .filter((g) => g >= base)
      .sort((a, b) => a - b);
    for (const g of journals) replayFile(join(dir, journalName(g)), replay, true);
    const generation = journals.at(-1) ?? base;
    const path = join(dir, journalName(generation));
    const fresh = !existsSync(path) || statSync(path).size === 0;
    const fd = openSync(path, 'a', 0o600);
    const journal = new Journal(dir, generation, fd);
    if (fresh) writeSync(fd, `${HEADER}\n`);
    journal.bytes = statSync(path).size;
    return journal;
  }

  /** Keeps `entry` with the next write (see `durable()`). Once the journal broke, nothing is kept: `durable()` says why. */
  append(entry: Entry): void {
    if (this.broken) return;
    this.pending.push(JSON.stringify(entry));
    if (!this.holding) this.writing ??= this.writeAll();
  }

  /**
   * Resolves once every entry appended so far is on the disk (rejects if the journal
   * broke): what an answer to the outside waits for.
   */
  durable(): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.pending.length) return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
    return (this.flushing ?? Promise.resolve()).then(() => {
      if (this.broken) throw this.broken;
    });
  }

  /** Waits until everything appended so far is on the disk. */
  async settled(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /**
   * Starts journal N+1, then writes snapshot N+1 from `state()` (called right after the
   * switch: every change made since is in journal N+1, some may be in both, which is why
   * every entry sets a state outright) and removes the files it replaces.
   */
  async compact(state: () => Entry[]): Promise<number> {
    this.holding = true;
    try {
      await this.settled();
      const next = this.generation + 1;
      const previous = this.fd;
      this.fd = openSync(join(this.dir, journalName(next)), 'a', 0o600);
      writeSync(this.fd, `${HEADER}\n`);
      this.bytes = HEADER.length + 1;
      closeSync(previous);
      this.generation = next;
    } finally {
      this.holding = false;
      if (this.pending.length) this.writing ??= this.writeAll();
    }
    const bytes = await writeSnapshot(join(this.dir, snapshotName(this.generation)), state());
    for (const name of readdirSync(this.dir)) if (generationOf(name) < this.generation) rmSync(join(this.dir, name), { force: true });
    return bytes;
  }

  async close(): Promise<void> {
    await this.settled();
    closeSync(this.fd);
  }

  /** Group commit: one write and one fdatasync for every entry appended while the last one was under way. */
  private async writeAll(): Promise<void> {
    try {
      // What the rest of this turn of the event loop changes (the other requests read from the same socket data) goes in the same write.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.pending.length) {
        const lines = this.pending;
        const waiting = this.waiting;
        this.pending = [];
        this.waiting = [];
        const text = `${lines.join('\n')}\n`;
        let flushed = () => {};
        this.flushing = new Promise<void>((resolve) => (flushed = resolve));
        try {
          // Into the OS's hands at once (a write to its cache takes microseconds), then to the disk off the main thread.
          writeWhole(this.fd, text);
          await datasync(this.fd);
          this.bytes += Buffer.byteLength(text);
          for (const w of waiting) w.resolve();
        } catch (err) {
          // What is in memory can no longer be kept: refuse every change from now on rather than answer falsely.
          this.broken = new Error(`Herald: the store's journal could not be written: ${(err as Error).message}`, { cause: err });
          for (const w of [...waiting, ...this.waiting]) w.reject(this.broken);
          this.pending = [];
          this.waiting = [];
        } finally {
          flushed();
          this.flushing = undefined;
        }
      }
    } finally {
      this.writing = undefined;
    }
  }
}

const datasync = promisify(fdatasync);

/** Writes all of `text` (a write may take part of it). */
function writeWhole(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
}

/** Replays a file's entries; a journal's unfinished last line is cut off, so that the next append starts on a line of its own. */
function replayFile(path: string, replay: (entry: Entry) => void, isJournal: boolean): void {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  let end = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const complete = i < lines.length - 1;
    if (!complete) break; // the text after the last newline: empty, or a write cut short
    end += Buffer.byteLength(line) + 1;
    if (i === 0) {
      checkHeader(line, path);
      continue;
    }
    if (line) replay(JSON.parse(line) as Entry);
  }
  if (isJournal && end < Buffer.byteLength(text)) truncateSync(path, end);
}

function checkHeader(line: string, path: string): void {
  const header = JSON.parse(line) as { herald?: string; v?: number };
  if (header.herald !== 'store' || header.v !== 1) throw new Error(`Herald: ${path} was written by a newer version of Herald`);
}

/** Written beside, synced and renamed: a snapshot file exists whole or not at all. */
async function writeSnapshot(path: string, state: Entry[]): Promise<number> {
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  let bytes = 0;
  try {
    bytes += writeSync(fd, `${HEADER}\n`);
    const CHUNK = 1000;
    for (let i = 0; i < state.length; i += CHUNK) {
      bytes += writeSync(
        fd,
        `${state
          .slice(i, i + CHUNK)
          .map((e) => JSON.stringify(e))
          .join('\n')}\n`,
      );
      // Let requests through between chunks: a large store takes a while to write.
      await new Promise((r) => setImmediate(r));
    }
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  const dir = openSync(join(path, '..'), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return bytes;
}
