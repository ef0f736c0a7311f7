import { afterEach, expect, it, vi } from 'vitest';

/**
 * What CloudWatch gets for a channel function's invocation: one EMF document per channel,
 * whatever the number of attempts (each document is a log line, billed as such).
 */
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

it('publishes one document per channel per invocation, with the attempts summed and every latency', async () => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.resetModules();
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  const { AttemptMetrics } = await import('../../../shared/services/attempt-metrics.js');
  const tally = new AttemptMetrics();
  tally.add('webhook', 'sent', 40);
  tally.add('webhook', 'retrying', 10_000);
  tally.add('webhook', 'sent', 60);
  tally.add('slack', 'dead', 120);
  tally.publish();
  tally.publish(); // nothing more: what was published is not published again

  const documents = lines.map((l) => JSON.parse(l));
  expect(documents).toHaveLength(2);
  const [webhook, slack] = documents;
  expect(webhook).toMatchObject({ channel: 'webhook', Attempts: 3, Sent: 2, Retried: 1, DeliveryLatency: [40, 10_000, 60] });
  expect(webhook._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Herald', Dimensions: [expect.arrayContaining(['channel'])] });
  expect(slack).toMatchObject({ channel: 'slack', Attempts: 1, Dead: 1, DeliveryLatency: 120 });
  expect(slack).not.toHaveProperty('Sent');
});

it('publishes every latency of a busy invocation, in documents of at most 99, and never an empty one', async () => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.resetModules();
  const lines: string[] = [];
  for (const level of ['log', 'warn', 'info', 'error'] as const)
    vi.spyOn(console, level).mockImplementation((line: unknown) => void lines.push(String(line)));
  const { AttemptMetrics } = await import('../../../shared/services/attempt-metrics.js');
  const tally = new AttemptMetrics();
  for (let i = 0; i < 150; i++) tally.add('webhook', 'sent', i);
  tally.publish();

  expect(lines.filter((l) => /No application metrics/i.test(l))).toEqual([]);
  const documents = lines.map((l) => JSON.parse(l));
  expect(documents.every((d) => d.channel === 'webhook')).toBe(true);
  const latencies = documents.flatMap((d) => [d.DeliveryLatency ?? []].flat());
  expect(latencies.sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i));
  expect(documents.reduce((sum, d) => sum + (d.Attempts ?? 0), 0)).toBe(150);
});
