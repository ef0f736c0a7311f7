import { DEFAULT_LIMITS, type App } from '../core/types.js';
import { RateLimitedError } from '../errors.js';

/**
 * An app's events-per-minute limit, counted by this process (an ingest function instance on
 * AWS, the api in local mode) per clock minute: no write per event, and no item every event
 * of an app writes to (which would cap an app at about 1,000 events a second whatever it
 * pays). The bound: with N ingest instances at work, an app may post up to N times its limit in a minute; API Gateway's
 * throttle bounds the whole API (README, "Limits and safety").
 */
export class EventQuota {
  private readonly counts = new Map<string, { minute: number; count: number }>();

  take(app: Pick<App, 'id' | 'limits'>, now: Date): void {
    const limit = app.limits?.eventsPerMinute ?? DEFAULT_LIMITS.eventsPerMinute;
    const minute = Math.floor(now.getTime() / 60_000);
    let entry = this.counts.get(app.id);
    if (!entry || entry.minute !== minute) {
      entry = { minute, count: 0 };
      this.counts.set(app.id, entry);
      if (this.counts.size > 10_000) this.forgetBefore(minute);
    }
    entry.count++;
    if (entry.count > limit) {
      const retryAfter = Math.max(1, Math.ceil(((minute + 1) * 60_000 - now.getTime()) / 1000));
      throw new RateLimitedError(`${app.id} may post ${limit} events a minute; try again in ${retryAfter} s`, retryAfter);
    }
  }

  private forgetBefore(minute: number): void {
    for (const [id, entry] of this.counts) if (entry.minute < minute) this.counts.delete(id);
  }
}
