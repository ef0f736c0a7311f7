import { describe, expect, it } from 'vitest';
import { Engine } from '../../../infra/local/engine/engine.js';

/** The embedded store's TTL (Engine.deleteExpired, every minute in local mode): what DynamoDB's TTL deletes, it deletes. */
describe('the deletion of expired items', () => {
  it('removes the items whose retention ended and keeps the rest, a retention moved later included', async () => {
    const engine = await Engine.open();
    const now = new Date('2026-11-01T00:00:00Z');
    const seconds = now.getTime() / 1000;
    engine.table.put('EVT#a', 'evt_old', { pk: 'EVT#a', sk: 'evt_old', expiresAt: seconds - 1 });
    engine.table.put('EVT#a', 'evt_now', { pk: 'EVT#a', sk: 'evt_now', expiresAt: seconds });
    engine.table.put('EVT#a', 'evt_new', { pk: 'EVT#a', sk: 'evt_new', expiresAt: seconds + 1 });
    engine.table.put('APP#a', '#APP', { pk: 'APP#a', sk: '#APP' });
    // Kept longer since (a delivery's latest attempt): its old retention no longer counts.
    engine.table.put('EVT#a', 'evt_kept', { pk: 'EVT#a', sk: 'evt_kept', expiresAt: seconds - 100 });
    engine.table.put('EVT#a', 'evt_kept', { pk: 'EVT#a', sk: 'evt_kept', expiresAt: seconds + 100 });

    expect(engine.deleteExpired(now)).toBe(2);
    expect([...engine.table.query('EVT#a')].map(([sk]) => sk)).toEqual(['evt_kept', 'evt_new']);
    expect(engine.table.get('APP#a', '#APP')).toBeDefined();
    expect(engine.deleteExpired(new Date((seconds + 100) * 1000))).toBe(2);
    expect([...engine.table.query('EVT#a')]).toEqual([]);
  });
});
