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

  it("keeps a failure's incident from one failing status to the next, drops it with the recovery, and reads a state written without one", async () => {
    const { states } = backend.stores;
    const id = appId();
    const at = (m: number) => new Date(Date.UTC(2026, 10, 1, 0, m));
    expect(await states.change(id, 'check:db', 'ERROR', at(0), 'icd_1')).toEqual({ changed: true });
    await states.noteNotified(id, 'check:db', ['ntf_a'], { ntf_a: 'ntf_a/g1' });
    // Another failing status keeps the incident it has (the one offered is not taken), and who was told of the failure.
    expect(await states.change(id, 'check:db', 'WARNING', at(1), 'icd_2')).toEqual({
      changed: true,
      previous: {
        status: 'ERROR',
        since: '2026-11-01T00:00:00.000Z',
        incident: 'icd_1',
        notified: ['ntf_a'],
        groups: { ntf_a: 'ntf_a/g1' },
      },
    });
    expect(await states.change(id, 'check:db', 'OK', at(2), null)).toEqual({
      changed: true,
      previous: {
        status: 'WARNING',
        since: '2026-11-01T00:01:00.000Z',
        incident: 'icd_1',
        notified: ['ntf_a'],
        groups: { ntf_a: 'ntf_a/g1' },
      },
    });
    expect(await states.change(id, 'check:db', 'ERROR', at(3), 'icd_3')).toEqual({
      changed: true,
      previous: { status: 'OK', since: '2026-11-01T00:02:00.000Z' },
    });
    // A state a version before incidents wrote (no incident offered, none kept) takes one at its next failing change.
    expect(await states.change(id, 'check:old', 'ERROR', at(0))).toEqual({ changed: true });
    expect(await states.change(id, 'check:old', 'WARNING', at(1), 'icd_4')).toEqual({
      changed: true,
      previous: { status: 'ERROR', since: '2026-11-01T00:00:00.000Z' },
    });
    expect(await states.change(id, 'check:old', 'OK', at(2), null)).toMatchObject({ previous: { incident: 'icd_4' } });
  });

  it('keeps incidents: opened once, listed newest first by status, acknowledged and resolved once each, who was told kept', async () => {
    const { incidents } = backend.stores;
    const id = appId();
    const incident = (n: number) => ({
      id: `icd_01kb${String(n).padStart(22, '0')}`,
      appId: id,
      check: `db-${n}`,
      stateKey: `check:db-${n}`,
      status: 'open' as const,
      since: '2026-11-01T00:00:00.000Z',
      severity: 'critical' as const,
      title: `DB ${n} down 🔥`,
      eventId: `evt_${n}`,
      lastEventId: `evt_${n}`,
      told: [],
    });
    const [first, second, third] = [incident(1), incident(2), incident(3)];
    for (const i of [first, second, third]) await incidents.open(i);
    // Opened again (a resumed request): the incident as it is stays.
    await incidents.noteFailure(id, first.id, { severity: 'warning', title: 'DB 1 degraded', lastEventId: 'evt_9' });
    await incidents.open(first);
    expect(await incidents.get(id, first.id)).toMatchObject({ severity: 'warning', title: 'DB 1 degraded', lastEventId: 'evt_9' });
    expect(await incidents.appOf(second.id)).toBe(id);
    expect(await incidents.appOf('icd_unknown')).toBeUndefined();

    const told = { notifierId: 'ntf_a', channel: 'webhook' as const, recipient: 'https://hooks.example.com/a' };
    await incidents.noteTold(id, first.id, [told]);
    await incidents.noteTold(id, first.id, [told, { ...told, notifierId: 'ntf_b' }]);
    expect((await incidents.get(id, first.id))?.told).toEqual([told, { ...told, notifierId: 'ntf_b' }]);

    const at = new Date('2026-11-01T00:05:00Z');
    expect(await incidents.acknowledge(id, first.id, { by: 'ops@shop.example', note: 'on it', at })).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'ops@shop.example',
      acknowledgedAt: '2026-11-01T00:05:00.000Z',
      note: 'on it',
    });
    expect(await incidents.acknowledge(id, first.id, { by: 'someone else', at })).toBeUndefined();
    expect(await incidents.resolve(id, first.id, { by: 'recovery', at })).toMatchObject({ status: 'resolved', resolvedBy: 'recovery' });
    expect(await incidents.resolve(id, first.id, { by: 'admin', at })).toBeUndefined();
    expect(await incidents.acknowledge(id, first.id, { by: 'late', at })).toBeUndefined();
    expect(await incidents.acknowledge(id, 'icd_unknown', { by: 'x', at })).toBeUndefined();
    expect(await incidents.resolve(id, 'icd_unknown', { by: 'x', at })).toBeUndefined();
    expect((await incidents.get(id, first.id))?.acknowledgedBy).toBe('ops@shop.example');

    const ids = async (status?: 'open' | 'resolved', limit = 10, cursor?: string) =>
      incidents.list(id, status ? { status } : {}, { limit, ...(cursor ? { cursor } : {}) });
    expect((await ids()).items.map((i) => i.id)).toEqual([third.id, second.id, first.id]);
    expect((await ids('resolved')).items.map((i) => i.id)).toEqual([first.id]);
    const page = await ids('open', 1);
    expect(page.items.map((i) => i.id)).toEqual([third.id]);
    const next = await ids('open', 1, page.nextCursor as string);
    expect(next.items.map((i) => i.id)).toEqual([second.id]);
    // DynamoDB may give a cursor whose page is empty (a filter reads on); either way no more open ones.
    if (next.nextCursor) expect((await ids('open', 1, next.nextCursor)).items).toEqual([]);

    await incidents.deleteAll(id);
    expect((await ids()).items).toEqual([]);
    expect(await incidents.appOf(second.id)).toBeUndefined();
  });

  it("keeps a notifier's groups: members join the notification they read, which is taken once; what was sent stays for a retry", async () => {
    const { groups } = backend.stores;
    const key = `${appId()}/grp`;
    const member = (n: number, status: 'firing' | 'resolved' | 'event' = 'event') => ({
      eventId: `evt_${n}`,
      appId: 'shop',
      type: 'db.down',
      severity: 'critical' as const,
      title: `Member ${n} 🔥`,
      status,
      at: '2026-11-30T10:00:00.000Z',
    });
    const join = (n: number, seq: number, over: object = {}) =>
      groups.join({
        key,
        appId: 'shop',
        notifierId: 'ntf_1',
        by: { 'data.cluster': 'eu-1' },
        seq,
        flushAt: `2026-11-30T10:00:${String(30 + n).padStart(2, '0')}.000Z`,
        startedAt: 1000 + n,
        member: member(n),
        countAs: 'db.down',
        list: true,
        expiresAt: 2_000_000_000,
        ...over,
      });
    expect(await groups.get(key)).toBeUndefined();
    expect(await join(1, 1)).toMatchObject({
      seq: 1,
      count: 1,
      flushAt: '2026-11-30T10:00:31.000Z',
      seqStartedAt: 1001,
      items: [member(1)],
    });
    // The first member's time and start stay; the count grows; an unlisted member is only counted.
    expect(await join(2, 1, { list: false })).toMatchObject({
      seq: 1,
      count: 2,
      flushAt: '2026-11-30T10:00:31.000Z',
      seqStartedAt: 1001,
      items: [member(1)],
    });
    const failing = await join(3, 1, { member: member(3, 'firing'), memberKey: 'm3' });
    expect(failing?.firing).toEqual({ m3: member(3, 'firing') });
    expect(await join(4, 2)).toBeUndefined(); // the group is at 1
    expect(await groups.hasten(key, 1, '2026-11-30T10:00:40.000Z')).toBe(false); // not later than it was
    expect(await groups.hasten(key, 1, '2026-11-30T10:00:20.000Z')).toBe(true);
    expect(await groups.hasten(key, 2, '2026-11-30T10:00:10.000Z')).toBe(false);

    const now = new Date('2026-11-30T10:00:20Z');
    const notice = {
      seq: 1,
      key,
      by: {},
      items: [member(1)],
      count: 3,
      firing: [],
      firingCount: 1,
      repeat: false,
      startedAt: 1001,
      takenAt: now.toISOString(),
    };
    // Taken only as read: with a count that is not the group's (a member joined since), not at all.
    expect(await groups.take(key, { ...notice, count: 2 }, now, undefined, 2_000_000_000)).toBe(false);
    expect(await groups.take(key, notice, now, new Date('2026-11-30T11:00:20Z'), 2_000_000_000)).toBe(true);
    expect(await groups.take(key, notice, now, undefined, 2_000_000_000)).toBe(false);
    expect(await groups.get(key)).toMatchObject({
      seq: 2,
      count: 0,
      items: [],
      firing: { m3: member(3, 'firing') },
      flushAt: '2026-11-30T11:00:20.000Z',
      seqStartedAt: now.getTime(),
      lastSentAt: '2026-11-30T10:00:20.000Z',
      sent: notice,
    });
    // The recovery ends the failure; a take with nothing failing schedules nothing.
    const recovered = await join(5, 2, { member: member(3, 'resolved'), memberKey: 'm3' });
    expect(recovered).toMatchObject({ seq: 2, count: 1, firing: {} });
    expect(await groups.take(key, { ...notice, seq: 2, count: 1 }, now, undefined, 2_000_000_000)).toBe(true);
    const after = await groups.get(key);
    expect(after).toMatchObject({ seq: 3, count: 0, items: [], types: {} });
    expect(after?.flushAt).toBeUndefined();
    expect(after?.seqStartedAt).toBeUndefined();
  });

  it("counts a group's members by type, and opens a digest's window once (its first event sent at once)", async () => {
    const { groups } = backend.stores;
    const key = `${appId()}/digest`;
    const base = {
      key,
      appId: 'shop',
      notifierId: 'ntf_1',
      by: {},
      seq: 1,
      flushAt: '2026-11-30T10:01:00.000Z',
      startedAt: 1,
      expiresAt: 2_000_000_000,
    };
    expect(await groups.open(base)).toBe(true);
    expect(await groups.open({ ...base, flushAt: '2026-11-30T10:09:00.000Z' })).toBe(false);
    const member = (type: string) => ({
      eventId: 'evt_1',
      appId: 'shop',
      type,
      severity: 'info' as const,
      title: 't',
      status: 'event' as const,
      at: '',
    });
    await groups.join({ ...base, member: member('app_deployed'), countAs: 'app_deployed', list: true });
    await groups.join({ ...base, member: member('app_deployed'), countAs: 'app_deployed', list: true });
    const joined = await groups.join({ ...base, member: member('backup.failed ✗'), countAs: 'backup.failed ✗', list: true });
    expect(joined).toMatchObject({ count: 3, flushAt: '2026-11-30T10:01:00.000Z', types: { app_deployed: 2, 'backup.failed ✗': 1 } });
    const notice = {
      seq: 1,
      key,
      by: {},
      items: [],
      count: 3,
      firing: [],
      firingCount: 0,
      repeat: false,
      startedAt: 1,
      takenAt: '',
      types: joined!.types,
    };
    expect(await groups.take(key, notice, new Date(), undefined, 2_000_000_000)).toBe(true);
    expect(await groups.get(key)).toMatchObject({ seq: 2, count: 0, types: {} });
    expect(await groups.open({ ...base, seq: 2 })).toBe(true); // the next window
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
