import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { metrics, metricsOn } from '../telemetry.js';

const LATENCIES_PER_DOCUMENT = 99;
const COUNTER = { sent: 'Sent', failed: 'Failed', retrying: 'Retried', dead: 'Dead' } as const;

/**
 * The attempts of one invocation, summed per channel and published as one EMF document per
 * channel, one more per 99 latencies past the first 99 (CloudWatch turns each into the
 * metrics `Attempts`, `Sent`, `Failed`, `Retried`, `Dead` and `DeliveryLatency`, by channel):
 * a log line per invocation instead of three per attempt, each billed as log ingestion.
 */
export class AttemptMetrics {
  private readonly byChannel = new Map<string, { counts: Map<string, number>; latencies: number[] }>();

  add(channel: string, outcome: string, latencyMs: number): void {
    if (!metricsOn()) return; // local mode and tests: nothing to count
    let tally = this.byChannel.get(channel);
    if (!tally) this.byChannel.set(channel, (tally = { counts: new Map(), latencies: [] }));
    const counter = COUNTER[outcome as keyof typeof COUNTER];
    for (const name of ['Attempts', counter]) if (name) tally.counts.set(name, (tally.counts.get(name) ?? 0) + 1);
    tally.latencies.push(latencyMs);
  }

  /** Writes what was counted (synchronously: concurrent invocations in one process do not mix) and starts again. */
  publish(): void {
    for (const [channel, tally] of this.byChannel) {
      // EMF takes up to 100 values of a metric in one document, and Powertools publishes by itself on the 100th
      // (leaving nothing for publishStoredMetrics, which then warns, a billed line): 99 latencies a document.
      for (let from = 0; from === 0 || from < tally.latencies.length; from += LATENCIES_PER_DOCUMENT) {
        metrics.addDimension('channel', channel); // publishing clears the dimensions
        if (from === 0) for (const [name, count] of tally.counts) metrics.addMetric(name, MetricUnit.Count, count);
        for (const latency of tally.latencies.slice(from, from + LATENCIES_PER_DOCUMENT))
          metrics.addMetric('DeliveryLatency', MetricUnit.Milliseconds, latency);
        metrics.publishStoredMetrics();
      }
    }
    this.byChannel.clear();
  }
}
