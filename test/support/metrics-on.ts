import { afterAll } from 'vitest';

/**
 * Imported first by a test file that reads the metrics Herald publishes: metrics on for the
 * whole file. vitest.config.ts turns them off, and telemetry reads the switch once, when it is
 * loaded: imported before anything that loads it, this costs no module reload.
 */
process.env['POWERTOOLS_METRICS_DISABLED'] = 'false';
afterAll(() => {
  process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
});
