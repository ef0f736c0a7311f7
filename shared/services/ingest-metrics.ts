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
 * What one ingest request did (a single post or a batch), published when it ends, in the
 * namespace and `service` dimension of the delivery metrics: one EMF document with
 * `EventsAccepted` and `DeliveriesPlanned` (every delivery decided, suppressed ones included),
 * then one per reason present with `EventsRefused` (by the error code answered) or
 * `DeliveriesSuppressed` (by kind) under a `reason` dimension, since a document gives each
 * dimension one value. A request that accepts one event is one log line.
 */
export class IngestMetrics {
  private counts = { accepted: 0, planned: 0 };
  private readonly refusedBy = new Map<string, number>();
  private readonly suppressedBy = new Map<string, number>();

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

  /** Writes what was counted (synchronously: concurrent requests in one process do not mix) and starts again. */
  publish(): void {
    if (this.counts.accepted || this.counts.planned) {
      metrics.addMetric('EventsAccepted', MetricUnit.Count, this.counts.accepted);
      metrics.addMetric('DeliveriesPlanned', MetricUnit.Count, this.counts.planned);
      metrics.publishStoredMetrics();
    }
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

const add = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
