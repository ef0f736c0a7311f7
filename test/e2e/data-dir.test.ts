import { chmodSync, cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalHerald } from '../support/local-mode.js';

/**
 * Local mode's data dir, as `npm start` leaves it: private to its owner (it holds webhook
 * secrets and the admin key in clear), and still read when written by the previous version.
 */
const temp = mkdtempSync(join(tmpdir(), 'herald-data-dir-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const modeOf = (dir: string) => (statSync(dir).mode & 0o777).toString(8);

describe('the data dir', () => {
  it('is created readable by its owner only', async () => {
    const dataDir = join(temp, 'new', '.herald');
    const herald = await startLocalHerald(dataDir);
    try {
      expect(modeOf(dataDir)).toBe('700');
    } finally {
      await herald.stop();
    }
  });

  it('written by the previous version (mode 755) is made private, and its events read as they were posted', async () => {
    const dataDir = join(temp, 'previous');
    cpSync(new URL('../fixtures/data-dir-82e4cfa', import.meta.url), dataDir, { recursive: true });
    chmodSync(dataDir, 0o755);
    // Its events were posted on 2026-11-29: a retention that keeps them whenever this runs.
    const herald = await startLocalHerald(dataDir, { HERALD_RETENTION_DAYS: '3650' });
    try {
      expect(modeOf(dataDir)).toBe('700');
      const res = await herald.call('GET', '/v1/apps/shop/events?limit=100', herald.adminKey);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const { events } = res.body;
      const byType = Object.fromEntries(events.map((e: any) => [e.type, e]));
      expect(byType['app_deployed'].data).toEqual({ commit: 'abc' });
      expect(byType['monitor.down'].data).toEqual({ target: 'https://shop.example.com' });
    } finally {
      await herald.stop();
    }
  });
});
