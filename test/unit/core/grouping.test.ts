import { describe, expect, it } from 'vitest';
import {
  carrierEventId,
  digestDueAt,
  dueAt,
  groupEventOf,
  groupKeyOf,
  groupValuesOf,
  memberOf,
  type GroupNotice,
} from '../../../shared/core/grouping.js';
import { timeOfId } from '../../../shared/ids.js';
import type { HeraldEvent } from '../../../shared/core/types.js';

const event = (over: Partial<HeraldEvent> = {}): HeraldEvent => ({
  id: 'evt_01kbxq6v6x4m2n3p5r7s9t1v3w',
  appId: 'shop',
  type: 'db.down',
  severity: 'critical',
  title: 'Primary down',
  data: { cluster: 'eu-1' },
  occurredAt: '2026-11-30T10:00:00.000Z',
  receivedAt: '2026-11-30T10:00:00.000Z',
  ...over,
});

describe('groups', () => {
  it('are keyed by the notifier and the values of its by fields, whatever their characters', () => {
    const values = groupValuesOf(event(), ['app', 'type', 'data.cluster', 'data.missing']);
    expect(values).toEqual({ app: 'shop', type: 'db.down', 'data.cluster': 'eu-1', 'data.missing': '' });
    const key = groupKeyOf('ntf_1', values);
    expect(key).toMatch(/^ntf_1\/[A-Za-z0-9_-]{22}$/);
    expect(
      groupKeyOf(
        'ntf_1',
        groupValuesOf(event({ id: 'evt_other', title: 'Replica down' }), ['app', 'type', 'data.cluster', 'data.missing']),
      ),
    ).toBe(key);
    expect(groupKeyOf('ntf_1', groupValuesOf(event({ data: { cluster: 'eu-2 🔥/x' } }), ['data.cluster']))).not.toBe(
      groupKeyOf('ntf_1', groupValuesOf(event(), ['data.cluster'])),
    );
    expect(groupKeyOf('ntf_2', values)).not.toBe(key);
  });

  it('are due after wait when new, interval after the last notification, at once when that has passed', () => {
    const settings = { by: [], waitSeconds: 30, intervalSeconds: 300, repeatSeconds: 3600 };
    const now = new Date('2026-11-30T10:00:00Z');
    expect(dueAt(settings, undefined, now).toISOString()).toBe('2026-11-30T10:00:30.000Z');
    expect(dueAt(settings, '2026-11-30T09:58:00.000Z', now).toISOString()).toBe('2026-11-30T10:03:00.000Z');
    expect(dueAt(settings, '2026-11-30T09:00:00.000Z', now).toISOString()).toBe('2026-11-30T10:00:00.000Z');
  });

  it('carry each notification in an event whose id every function computes alike, dated when it started gathering', () => {
    const started = Date.parse('2026-11-30T10:00:00Z');
    const id = carrierEventId('ntf_1/abc', 3, started);
    expect(id).toMatch(/^evt_[0-9a-z]{26}$/);
    expect(carrierEventId('ntf_1/abc', 3, started)).toBe(id);
    expect(carrierEventId('ntf_1/abc', 4, started)).not.toBe(id);
    expect(timeOfId(id)).toBe(started);
  });

  it('list members: a failure firing, a recovery resolved with how long it was down, a deploy an event', () => {
    expect(memberOf(event({ data: { check: 'db', status: 'ERROR' } }))).toMatchObject({
      status: 'firing',
      check: 'db',
      title: 'Primary down',
    });
    expect(memberOf(event({ severity: 'info', data: { check: 'db', status: 'OK', previousStatusSeconds: 42 } }))).toMatchObject({
      status: 'resolved',
      downSeconds: 42,
    });
    expect(memberOf(event({ type: 'app_deployed', data: {} }))).toMatchObject({ status: 'event', type: 'app_deployed' });
  });
});

describe("a group's notification", () => {
  const member = (n: number, type = 'db.down') => ({ ...memberOf(event({ id: `evt_${n}`, type, title: `Member ${n} 🔥` })) });
  const notice = (over: Partial<GroupNotice> = {}): GroupNotice => ({
    seq: 1,
    key: 'ntf_1/abc',
    by: { 'data.cluster': 'eu-1' },
    items: [...Array.from({ length: 18 }, (_, i) => member(i)), member(18, 'app_crashed'), member(19, 'app_crashed')],
    count: 40,
    firing: [],
    firingCount: 0,
    repeat: false,
    startedAt: 0,
    takenAt: '2026-11-30T10:00:30.000Z',
    ...over,
  });

  it('counts, sums up by type, lists the first 20 with "and N more", and holds the group for templates and webhooks', () => {
    const e = groupEventOf(notice(), { id: 'evt_c', appId: 'shop' }, 'Shop', new Date('2026-11-30T10:00:30Z'));
    expect(e).toMatchObject({ type: 'group', severity: 'critical', title: '40 events in Shop (eu-1): 18 db.down, 2 app_crashed, …' });
    expect(e.message?.split('\n')).toHaveLength(21);
    expect(e.message).toContain('- Member 0 🔥 [db.down]');
    expect(e.message?.split('\n').at(-1)).toBe('and 20 more');
    expect(e.data?.['group']).toMatchObject({ count: 40, more: 20, key: 'ntf_1/abc', by: { 'data.cluster': 'eu-1' } });
  });

  it('says a repeat is still failing, and a recovery that ends the group resolved', () => {
    const firing = [member(1), member(2)];
    const repeat = groupEventOf(
      notice({ repeat: true, items: [], count: 0, firing, firingCount: 2 }),
      { id: 'e', appId: 'shop' },
      'Shop',
      new Date(),
    );
    expect(repeat.title).toBe('Still failing in Shop: 2 members (eu-1)');
    const recovered = { ...member(3), status: 'resolved' as const, downSeconds: 95 };
    const resolved = groupEventOf(notice({ items: [recovered], count: 1 }), { id: 'e', appId: 'shop' }, 'Shop', new Date());
    expect(resolved.title).toBe('Resolved in Shop: 1 event (eu-1)');
    expect(resolved.message).toContain('recovered after 95 s');
  });
});

describe('a digest', () => {
  const now = new Date('2026-11-30T10:00:00Z'); // a Monday, 11:00 in Berlin
  it('ends a window after its length, or at the next time of its schedule in its time zone', async () => {
    expect((await digestDueAt({ windowSeconds: 3600 }, now)).toISOString()).toBe('2026-11-30T11:00:00.000Z');
    expect((await digestDueAt({ schedule: '0 9 * * 1-5', timeZone: 'Europe/Berlin' }, now)).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect((await digestDueAt({ schedule: '0 9 * * 1-5', timeZone: 'America/New_York' }, now)).toISOString()).toBe(
      '2026-11-30T14:00:00.000Z',
    );
    expect((await digestDueAt({ schedule: '0 9 * * 1-5' }, now)).toISOString()).toBe('2026-12-01T09:00:00.000Z');
  });
});
