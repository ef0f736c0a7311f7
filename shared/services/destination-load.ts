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
}

export const DEFAULT_DESTINATION_LIMITS: DestinationLimits = {
  maxInFlight: 16,
  maxInFlightWhenSlow: 2,
  slowAfterMs: 3000,
  slowForMs: 60_000,
};

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
 * while without spending an attempt. Per process (a Lambda instance, local mode): a bound
 * for each, not a count across them.
 */
export class DestinationLoad {
  private readonly inFlight = new Map<string, Set<number>>();
  private readonly slowUntil = new Map<string, number>();

  constructor(
    private readonly limits: DestinationLimits = DEFAULT_DESTINATION_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Room for one more attempt to `destination`? Then it is counted until the returned `done` is called. */
  take(destination: string): ((latencyMs: number) => void) | undefined {
    const now = this.now();
    const started = this.inFlight.get(destination) ?? new Set<number>();
    const limit = this.isSlow(destination, started, now) ? this.limits.maxInFlightWhenSlow : this.limits.maxInFlight;
    if (started.size >= limit) return undefined;
    const token = now + Math.random();
    started.add(token);
    this.inFlight.set(destination, started);
    return (latencyMs) => {
      started.delete(token);
      if (started.size === 0) this.inFlight.delete(destination);
      if (latencyMs >= this.limits.slowAfterMs) this.slowUntil.set(destination, this.now() + this.limits.slowForMs);
    };
  }

  private isSlow(destination: string, started: Set<number>, now: number): boolean {
    const until = this.slowUntil.get(destination);
    if (until !== undefined && until > now) return true;
    if (until !== undefined) this.slowUntil.delete(destination);
    for (const token of started) if (now - token >= this.limits.slowAfterMs) return true;
    return false;
  }
}
