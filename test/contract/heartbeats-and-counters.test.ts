import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend } from './backends.js';
import { appId } from './fixtures.js';

/** HeartbeatStore, RepeatCounter, StateStore and IncidentLedger behave alike on DynamoDB and in the embedded engine. */
describe.each(BACKENDS)('heartbeats, counters, states and incidents on the %s', (_name, open) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await open();
  });
  afterAll(() => backend.close());

  it('notes heartbeats, finds the silent servers, marks one offline only if unheard since, and online again when it beats', async () => {
    const { heartbeats } = backend.stores;
    const id = appId();
    expect(await heartbeats.beat(id, 'web-1', new Date('2026-11-01T00:00:00Z'))).toBeUndefined();
    const before = await heartbeats.beat(id, 'web-1', new Date('2026-11-01T00:01:00Z'));
    expect(before).toMatchObject({ appId: id, server: 'web-1', state: 'online', lastSeenAt: '2026-11-01T00:00:00.000Z' });
    const silent = (await heartbeats.silentSince(new Date('2026-11-01T00:05:00Z'), 100)).filter((s) => s.appId === id);
    expect(silent).toEqual([
      expect.objectContaining({ server: 'web-1', lastSeenAt: '2026-11-01T00:01:00.000Z', since: '2026-11-01T00:00:00.000Z' }),
    ]);
    expect(await heartbeats.markOffline({ ...silent[0]!, lastSeenAt: '2026-11-01T00:00:00.000Z' }, new Date())).toBe(false);
    expect(await heartbeats.markOffline(silent[0]!, new Date('2026-11-01T00:06:00Z'))).toBe(true);
    expect((await heartbeats.silentSince(new Date('2026-11-02T00:00:00Z'), 100)).filter((s) => s.appId === id)).toEqual([]);
    expect(await heartbeats.beat(id, 'web-1', new Date('2026-11-01T00:07:00Z'))).toMatchObject({ state: 'offline' });
    expect(await heartbeats.list(id)).toEqual([
      { appId: id, server: 'web-1', state: 'online', lastSeenAt: '2026-11-01T00:07:00.000Z', since: '2026-11-01T00:07:00.000Z' },
    ]);
    const [server] = await heartbeats.list(id);
    expect(await heartbeats.forget({ ...server!, lastSeenAt: '2026-11-01T00:00:00.000Z' })).toBe(false);
    expect(await heartbeats.forget(server!)).toBe(true);
    expect(await heartbeats.list(id)).toEqual([]);
  });

  it('counts repeats within a window that starts at the first, and starts a new one after it', async () => {
    const { repeats } = backend.stores;
    const scope = appId();
    const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 0, 0, s));
    expect(await repeats.count(scope, 'fp', 60, at(0))).toBe(1);
    expect(await repeats.count(scope, 'fp', 60, at(10))).toBe(2);
    expect(await repeats.count(scope, 'other', 60, at(10))).toBe(1);
    expect(await repeats.count(scope, 'fp', 60, at(59))).toBe(3);
    expect(await repeats.count(scope, 'fp', 60, at(61))).toBe(1);
  });

  it('keeps the known status of what events report on: changed or not, the state before, and who was told', async () => {
    const { states } = backend.stores;
    const id = appId();
    const long = `check:${'x'.repeat(600)}`;
    expect(await states.change(id, long, 'down', new Date('2026-11-01T00:00:00Z'))).toEqual({ changed: true });
    await states.noteNotified(id, long, ['ntf_a']);
    expect(await states.change(id, long, 'down', new Date('2026-11-01T00:01:00Z'))).toEqual({ changed: false });
    expect(await states.change(id, long, 'up', new Date('2026-11-01T00:02:00Z'))).toEqual({
      changed: true,
      previous: { status: 'down', since: '2026-11-01T00:00:00.000Z', notified: ['ntf_a'] },
    });
    expect(await states.change(id, long, 'down', new Date('2026-11-01T00:03:00Z'))).toEqual({
      changed: true,
      previous: { status: 'up', since: '2026-11-01T00:02:00.000Z' },
    });
  });

  it("lets an incident's update out only if no newer one went before it", async () => {
    const { incidentLedger: incidents } = backend.stores;
    const id = appId();
    expect(await incidents.advance(id, 'routing-key/db-1', '2026-11-01T00:01:00Z#evt_b')).toBe(true);
    expect(await incidents.advance(id, 'routing-key/db-1', '2026-11-01T00:00:00Z#evt_a')).toBe(false);
    expect(await incidents.advance(id, 'routing-key/db-1', '2026-11-01T00:01:00Z#evt_b')).toBe(true);
    expect(await incidents.advance(id, 'routing-key/db-2', '2026-11-01T00:00:00Z#evt_a')).toBe(true);
  });
});
