import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Delivery } from '../core/types.js';
import { metrics, metricsOn } from '../telemetry.js';

/**
 * Why ingest suppressed a delivery, as a small fixed set (a metric dimension; the reasons
 * themselves are free text with counts and times). Each pattern is the start of a reason
 * Herald writes: shared/services/notifier-policies.ts (the caps), shared/core/repeats.ts
 * (throttle, occurrences), shared/services/ingest.ts (silences) and shared/core/quiet-hours.ts (quiet hours that suppress; those
 * that hold a delivery queue it for later: it is not suppressed). Anything else is `other`.
 */
const SUPPRESSED_KINDS: [RegExp, string][] = [
  [/^quiet hours/, 'quiet_hours'],
  [/^throttled:/, 'throttled'],
  [/^occurrence \d/, 'occurrences'],
  [/^over the cap of \d+ deliveries per event/, 'deliveries_cap'],
  [/^the app's daily SMS cap/, 'sms_cap'],
  [/^silenced: /, 'silenced'],
];

export const suppressedKindOf = (reason: string | undefined): string =>
  SUPPRESSED_KINDS.find(([pattern]) => pattern.test(reason ?? ''))?.[1] ?? 'other';

/**
 * What one ingest request did (a single post or a batch), in the namespace and `service`
 * dimension of the delivery metrics. Its volume (`EventsAccepted`, and `DeliveriesPlanned`:
 * every delivery decided, suppressed ones included) goes to the instance's IngestVolume,
 * which publishes it at once or, while the instance is busy, summed over up to 10 s. What
 * went wrong is published when the request ends: one EMF document per reason present, with
 * `EventsRefused` (by the error code answered) or `DeliveriesSuppressed` (by kind) under a
 * `reason` dimension, since a document gives each dimension one value.
 */
export class IngestMetrics {
  private counts = { accepted: 0, planned: 0 };
  private readonly refusedBy = new Map<string, number>();
  private readonly suppressedBy = new Map<string, number>();

  constructor(private readonly volume: IngestVolume = ingestVolume) {}

  accepted(): void {
    if (metricsOn()) this.counts.accepted++;
  }

  refused(code: string): void {
    if (metricsOn()) add(this.refusedBy, code);
  }

  /** The deliveries decided for one accepted event. */
  planned(deliveries: Delivery[]): void {
    if (!metricsOn()) return; // local mode and tests: nothing to count
    this.counts.planned += deliveries.length;
    for (const d of deliveries) if (d.status === 'suppressed') add(this.suppressedBy, suppressedKindOf(d.reason));
  }

  /** Hands the volume to the instance's sum and writes what went wrong (synchronously: concurrent requests in one process do not mix), and starts again. */
  publish(): void {
    this.volume.add(this.counts.accepted, this.counts.planned);
    for (const [name, byReason] of [
      ['EventsRefused', this.refusedBy],
      ['DeliveriesSuppressed', this.suppressedBy],
    ] as const) {
      for (const [reason, count] of byReason) {
        metrics.addDimension('reason', reason); // publishing clears the dimensions
        metrics.addMetric(name, MetricUnit.Count, count);
        metrics.publishStoredMetrics();
      }
      byReason.clear();
    }
    this.counts = { accepted: 0, planned: 0 };
  }
}

/** How long a busy instance sums its requests' volume before it publishes it. */
export const VOLUME_WINDOW_MS = 10_000;

/**
 * The volume of an instance's ingest requests (`EventsAccepted`, `DeliveriesPlanned`),
 * summed while the instance is busy, so that posting one event per request does not write
 * one EMF document per request (a CloudWatch Logs line each: a third of the logs' bill).
 * - An instance that was quiet (no request ended in the last 10 s) publishes a request's
 *   volume when it ends: a trickle of events is counted as it comes.
 * - A busy one adds it to its sum, published by the first request to end 10 s or more after
 *   the sum began, timestamped when it began: one document per 10 s of traffic.
 * - A sum left by a burst is published by the next request, at its own time.
 *
 * The bound: Lambda freezes an instance between requests and may retire an idle one, so
 * the counts of a busy instance's last 10 s before it falls idle come late, or, if Lambda
 * retires it first, never. These are the volume's counts only; every refusal and
 * suppression is published with its request, and the events are in the table.
 */
export class IngestVolume {
  private accepted = 0;
  private planned = 0;
  /** When the sum not yet published began. */
  private since: number | undefined;
  private lastEnded: number | undefined;

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly windowMs = VOLUME_WINDOW_MS,
  ) {}

  /** A request's volume, as the request ends. */
  add(accepted: number, planned: number): void {
    const now = this.now();
    const quiet = this.lastEnded === undefined || now - this.lastEnded >= this.windowMs;
    this.lastEnded = now;
    if (quiet) this.publish(); // what a burst before the pause left, at its own time
    if (accepted || planned) {
      this.since ??= now;
      this.accepted += accepted;
      this.planned += planned;
    }
    if (quiet || (this.since !== undefined && now - this.since >= this.windowMs)) this.publish();
  }

  private publish(): void {
    if (this.since === undefined) return;
    metrics.addMetric('EventsAccepted', MetricUnit.Count, this.accepted);
    metrics.addMetric('DeliveriesPlanned', MetricUnit.Count, this.planned);
    // CloudWatch takes a time up to 14 days back: older than that, the sum is counted now.
    if (this.now() - this.since < 13 * 86_400_000) metrics.setTimestamp(this.since);
    metrics.publishStoredMetrics();
    this.accepted = 0;
    this.planned = 0;
    this.since = undefined;
  }
}

/** This instance's volume: one per process (a Lambda instance handles one request at a time). */
export const ingestVolume = new IngestVolume();

const add = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
