import type { SilenceStore } from '../core/ports.js';
import type { Silence } from '../core/silences.js';
import { logger } from '../telemetry.js';

/** A process tells the store what it silenced at most this often: a storm under a silence is not a storm of writes on its item. */
const TELL_EVERY_MS = 10_000;

/**
 * How many events each silence silenced, counted in this process and added to the silence's
 * item at most every 10 s (one write per silence then, whatever the rate). What a process
 * counted and had not told yet when it stops is lost: the figure is a floor.
 */
export class SilenceCounts {
  private readonly pending = new Map<string, { appId: string; id: string; events: number }>();
  private toldAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  add(silence: Pick<Silence, 'appId' | 'id'>): void {
    const key = `${silence.appId}/${silence.id}`;
    const entry = this.pending.get(key) ?? { appId: silence.appId, id: silence.id, events: 0 };
    entry.events++;
    this.pending.set(key, entry);
  }

  /** Tells the store, when 10 s have passed since the last time (or `force`). Never throws: a count is not worth an event. */
  async tell(store: SilenceStore, force = false): Promise<void> {
    if (this.pending.size === 0 || (!force && this.now() - this.toldAt < TELL_EVERY_MS)) return;
    this.toldAt = this.now();
    const entries = [...this.pending.values()];
    this.pending.clear();
    await Promise.all(
      entries.map((e) =>
        store
          .countSilenced(e.appId, e.id, e.events)
          .catch((err: unknown) => logger.warn('could not count what a silence silenced', { silenceId: e.id, error: err as Error })),
      ),
    );
  }
}
