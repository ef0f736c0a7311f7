/**
 * Reports sent in the background: what a request handler hands over is sent after the
 * response, oldest first, a few at a time (so that a burst is sent in a fraction of the time
 * one by one would take), from a bounded buffer (the oldest kept, the newest dropped when
 * full, so that a storm of errors costs bounded memory). Sent before the process ends: a
 * natural exit waits for the sends under way, and SIGINT or SIGTERM waits (at most
 * `exitFlushMs`) for the buffer to empty before the signal does what it would have done.
 */

export interface BackgroundOptions {
  /** How many reports may wait (default 1000). */
  bufferSize?: number;
  /** How long a SIGINT or SIGTERM waits for the buffer (default 5 s). */
  exitFlushMs?: number;
  /** How many reports are sent at once (default 4). */
  concurrency?: number;
  /** A report that could not be sent, or was dropped (default: a line on the console). */
  onError?: (error: unknown) => void;
}

type Job = () => Promise<unknown>;

/** The part of Node's `process` used here, absent in a browser. */
interface ProcessLike {
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
  listenerCount(event: string): number;
  kill(pid: number, signal: string): unknown;
  pid: number;
}
const nodeProcess = (globalThis as { process?: ProcessLike }).process;
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export class BackgroundQueue {
  private readonly jobs: Job[] = [];
  private draining: Promise<void> | undefined;
  private readonly bufferSize: number;
  private readonly exitFlushMs: number;
  private readonly concurrency: number;
  private readonly onError: (error: unknown) => void;
  private readonly onSignal = new Map<string, () => void>();
  dropped = 0;

  constructor(options: BackgroundOptions = {}) {
    this.bufferSize = options.bufferSize ?? 1000;
    this.exitFlushMs = options.exitFlushMs ?? 5000;
    this.concurrency = options.concurrency ?? 4;
    this.onError = options.onError ?? ((error) => console.error(`herald: a report was not sent: ${String(error)}`));
  }

  /** Queue a job; false (and onError) when the buffer is full. Never throws. */
  push(job: Job): boolean {
    if (this.jobs.length >= this.bufferSize) {
      this.dropped++;
      this.onError(new Error(`the report buffer is full (${this.bufferSize}): a report was dropped`));
      return false;
    }
    this.jobs.push(job);
    this.draining ??= this.drain();
    return true;
  }

  /** Resolves when every queued report was sent (or failed), or after `timeoutMs`. */
  async flush(timeoutMs?: number): Promise<void> {
    if (!this.draining) return;
    if (timeoutMs === undefined) return this.draining;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.draining, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  get pending(): number {
    return this.jobs.length;
  }

  private async drain(): Promise<void> {
    this.watchSignals(true);
    try {
      await Promise.all(Array.from({ length: this.concurrency }, () => this.sendAll()));
    } finally {
      this.draining = undefined;
      this.watchSignals(false);
      // A report handed over while the last sends were ending (by an onError, say) starts the next round.
      if (this.jobs.length) this.draining = this.drain();
    }
  }

  private async sendAll(): Promise<void> {
    for (let job = this.jobs.shift(); job; job = this.jobs.shift()) {
      try {
        await job();
      } catch (error) {
        this.onError(error);
      }
    }
  }

  /** While reports wait, a SIGINT or SIGTERM first sends them, then goes on as it would have. */
  private watchSignals(on: boolean): void {
    if (!nodeProcess) return;
    for (const signal of EXIT_SIGNALS) {
      const current = this.onSignal.get(signal);
      if (current) nodeProcess.removeListener(signal, current);
      this.onSignal.delete(signal);
      if (!on) continue;
      const listener = () => {
        this.onSignal.delete(signal);
        void this.flush(this.exitFlushMs).then(() => {
          // Nobody else listens: the signal's default (ending the process) is what the app expects.
          if (nodeProcess.listenerCount(signal) === 0) nodeProcess.kill(nodeProcess.pid, signal);
        });
      };
      this.onSignal.set(signal, listener);
      nodeProcess.once(signal, listener);
    }
  }
}
