import { expect, it } from 'vitest';
import { readConfig } from '../../shared/config.js';

it('refuses a retention of part of a day, as the deploy refuses herald:retentionDays (one rule)', () => {
  const env = { HERALD_TABLE: 'herald', AWS_REGION: 'eu-west-1' };
  expect(() => readConfig({ ...env, HERALD_RETENTION_DAYS: '1.5' })).toThrow(
    /HERALD_RETENTION_DAYS must be a whole number of days from 1 to 3650/,
  );
  expect(() => readConfig({ ...env, HERALD_RETENTION_DAYS: '0' })).toThrow(/HERALD_RETENTION_DAYS/);
  expect(readConfig({ ...env, HERALD_RETENTION_DAYS: '7' }).retentionDays).toBe(7);
  expect(readConfig(env).retentionDays).toBe(30);
});
