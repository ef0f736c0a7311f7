import type { DeliveryRef } from '../core/ports.js';

/** How much of this process one destination may hold. */
export interface DestinationLimits {
  /** Attempts in flight to one destination at once. */
  maxInFlight: number;
  /** The same, for a destination found slow. */
  maxInFlightWhenSlow: number;
  /** An attempt that takes this long (or is still under way after it) makes its destination slow. */
  slowAfterMs: number;
  /** How long a destination stays slow after its last slow attempt. */
  slowForMs: number;
  /** How long a delivery waits for a slot at a destination that is busy but not slow (its attempts end in moments). */
  busyWaitMs: number;
}

export const DEFAULT_DESTINATION_LIMITS: DestinationLimits = {
  maxInFlight: 16,
  maxInFlightWhenSlow: 2,
  slowAfterMs: 3000,
  slowForMs: 60_000,
  busyWaitMs: 2000,
};

/** Gives a destination's room back when its attempt is over, saying how long it took. */
export type Release = (latencyMs: number) => void;

/** Where a delivery goes, as far as being slow is concerned: the host of a URL (a slow server is slow for all its paths), else the recipient. */
export function destinationOf(delivery: Pick<DeliveryRef, 'channel' | 'recipient'>): string {
  if (/^https?:\/\//i.test(delivery.recipient)) {
    try {
      return new URL(delivery.recipient).host;
    } catch {
      // below
    }
  }
  return `${delivery.channel}:${delivery.recipient}`;
}

/**
 * What each destination holds of this process: its attempts in flight, and whether it was
 * slow lately. A slow receiver may hold up only its own deliveries: one found slow (an
 * attempt that took `slowAfterMs`, or is still under way after it) gets `maxInFlightWhenSlow`
 * attempts at once, any other `maxInFlight`; a delivery with no room is set aside for a
 * while without spending an attempt, or, at a destination that is only busy, may wait
 * `busyWaitMs` for a slot (takeSoon). Per process (a Lambda instance, local mode): a bound
 * for each, not a count across them.
 */
export class DestinationLoad {
  /** The attempts under way at each destination, each its own object (when it started), so that two started in one millisecond are two. */
  private readonly inFlight = new Map<string, Set<{ at: number }>>();
  private readonly slowUntil = new Map<string, number>();
  /** Deliveries waiting for a slot at a busy destination, first come first served. */
  private readonly waiting = new Map<string, ((release: Release | undefined) => void)[]>();

  constructor(
    private readonly limits: DestinationLimits = DEFAULT_DESTINATION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Room for one more attempt to `destination`? Then it is counted until the returned release is called. */
  take(destination: string): Release | undefined {
    if (this.waiting.has(destination)) return undefined; // those waiting come first
    return this.taken(destination);
  }

  /**
   * Room for one more attempt, waiting for it when the destination is busy (all its slots
   * taken by attempts under way) but not slow: a fast receiver frees a slot within
   * milliseconds, which is better than setting the delivery aside for seconds. Undefined at
   * once when the destination is slow, and after `busyWaitMs` when no slot came.
   */
  async takeSoon(destination: string): Promise<Release | undefined> {
    const release = this.take(destination);
    if (release || this.limits.busyWaitMs <= 0 || this.isSlow(destination, this.inFlight.get(destination), this.now())) return release;
    return new Promise((resolve) => {
      const queue = this.waiting.get(destination) ?? [];
      const waiter = (given: Release | undefined) => {
        clearTimeout(timer);
        resolve(given);
      };
      const timer = setTimeout(() => {
        const at = queue.indexOf(waiter);
        if (at >= 0) queue.splice(at, 1);
        if (queue.length === 0 && this.waiting.get(destination) === queue) this.waiting.delete(destination);
        resolve(undefined);
      }, this.limits.busyWaitMs);
      queue.push(waiter);
      this.waiting.set(destination, queue);
    });
  }

  private taken(destination: string): Release | undefined {
    const now = this.now();
    const started = this.inFlight.get(destination) ?? new Set<{ at: number }>();
    const limit = this.isSlow(destination, started, now) ? this.limits.maxInFlightWhenSlow : this.limits.maxInFlight;
    if (started.size >= limit) return undefined;
    const token = { at: now };
    started.add(token);
    this.inFlight.set(destination, started);
    let released = false;
    return (latencyMs) => {
      if (released) return;
      released = true;
      started.delete(token);
      if (started.size === 0) this.inFlight.delete(destination);
      if (latencyMs >= this.limits.slowAfterMs) this.slowUntil.set(destination, this.now() + this.limits.slowForMs);
      this.handOn(destination);
    };
  }

  /** A slot came free: to the first waiting, or to none of them when the destination turned slow (they are set aside). */
  private handOn(destination: string): void {
    const queue = this.waiting.get(destination);
    if (!queue?.length) return;
    if (this.isSlow(destination, this.inFlight.get(destination), this.now())) {
      this.waiting.delete(destination);
      for (const waiter of queue.splice(0)) waiter(undefined);
      return;
    }
    const release = this.taken(destination);
    if (!release) return;
    const waiter = queue.shift() as (release: Release | undefined) => void;
    if (queue.length === 0) this.waiting.delete(destination);
    waiter(release);
  }

  private isSlow(destination: string, started: Set<{ at: number }> | undefined, now: number): boolean {
    const until = this.slowUntil.get(destination);
    if (until !== undefined && until > now) return true;
    if (until !== undefined) this.slowUntil.delete(destination);
    for (const token of started ?? []) if (now - token.at >= this.limits.slowAfterMs) return true;
    return false;
  }
}
