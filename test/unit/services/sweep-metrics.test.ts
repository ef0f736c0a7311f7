import { afterEach, expect, it, vi } from 'vitest';
import type { Delivery } from '../../../shared/core/types.js';

/**
 * What CloudWatch gets from a sweeper run: one EMF document, with the deliveries it found
 * overdue (the stack alarms on `OverdueDeliveries`), zeros included.
 */
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const sweepModule = async () => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  vi.resetModules();
  const lines: string[] = [];
  for (const level of ['log', 'warn', 'info', 'error'] as const)
    vi.spyOn(console, level).mockImplementation((line: unknown) => void lines.push(String(line)));
  return { lines, ...(await import('../../../shared/services/sweeper.js')) };
};
const result = { found: 3, requeued: 2, ended: 0, notQueued: 1, overdue: 1, disabled: 0 };

it('publishes one document per run with the overdue and requeued deliveries, under the service dimension', async () => {
  const { lines, publishSweep } = await sweepModule();
  publishSweep(result);
  publishSweep({ ...result, found: 0, requeued: 0, notQueued: 0, overdue: 0 });
  const documents = lines.map((l) => JSON.parse(l));
  expect(documents).toHaveLength(2);
  expect(documents[0]).toMatchObject({ service: 'herald', OverdueDeliveries: 1, Requeued: 2 });
  expect(documents[0]._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Herald', Dimensions: [['service']] });
  expect(documents[1]).toMatchObject({ OverdueDeliveries: 0, Requeued: 0 });
});

it('counts a delivery overdue when it was due (retry or hold time, else creation) longer ago than the limit', async () => {
  const { overdueOf } = await sweepModule();
  const now = new Date('2026-01-01T12:00:00Z');
  const at = (iso: string, nextAttemptAt?: string) => ({ createdAt: iso, ...(nextAttemptAt ? { nextAttemptAt } : {}) }) as Delivery;
  const deliveries = [
    at('2026-01-01T11:50:00Z'), // refused by its queue ten minutes ago: overdue
    at('2026-01-01T11:59:30Z'), // refused half a minute ago: the sweeper is on time
    at('2026-01-01T01:00:00Z', '2026-01-01T11:59:00Z'), // held by quiet hours until a minute ago
    at('2026-01-01T01:00:00Z', '2026-01-01T11:00:00Z'), // held until an hour ago: overdue
  ];
  expect(overdueOf(deliveries, now, 300)).toBe(2);
});
