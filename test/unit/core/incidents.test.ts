import { describe, expect, it } from 'vitest';
import { ACK_LINK_SECONDS, ackToken, announcementOf, checkAckToken, linkKeyOf, type Incident } from '../../../shared/core/incidents.js';

const key = linkKeyOf('hrd_admin_secret');
const now = new Date('2026-11-30T10:00:00Z');
const id = 'icd_01kbxq6v6x4m2n3p5r7s9t1v3w';

describe('acknowledge tokens', () => {
  it('name the incident, check until they expire, and are short enough for an SMS', () => {
    const token = ackToken(key, id, now);
    expect(token.length).toBeLessThanOrEqual(50);
    expect(checkAckToken(key, token, now)).toEqual({ ok: true, incidentId: id });
    expect(checkAckToken(key, token, new Date(now.getTime() + (ACK_LINK_SECONDS - 1) * 1000))).toEqual({ ok: true, incidentId: id });
    expect(checkAckToken(key, token, new Date(now.getTime() + ACK_LINK_SECONDS * 1000))).toEqual({
      ok: false,
      why: 'expired',
      incidentId: id,
    });
  });

  it('refuse any change: another incident, a later expiry, another signature, another key, or no token at all', () => {
    const [ulid, expires, mac] = ackToken(key, id, now).split('.') as [string, string, string];
    const other = ackToken(key, 'icd_01kbxq6v6x4m2n3p5r7s9t1v3x', now).split('.')[0];
    expect(checkAckToken(key, `${other}.${expires}.${mac}`, now)).toEqual({ ok: false, why: 'tampered' });
    expect(checkAckToken(key, `${ulid}.${(parseInt(expires, 36) + 1).toString(36)}.${mac}`, now)).toEqual({ ok: false, why: 'tampered' });
    expect(checkAckToken(key, `${ulid}.${expires}.${'A'.repeat(16)}`, now)).toEqual({ ok: false, why: 'tampered' });
    expect(checkAckToken(linkKeyOf('hrd_admin_another'), `${ulid}.${expires}.${mac}`, now)).toEqual({ ok: false, why: 'tampered' });
    for (const bad of ['', 'x', `${ulid}.${expires}`, `${ulid}.${expires}.${mac}.x`, `${ulid.toUpperCase()}.${expires}.${mac}`])
      expect(checkAckToken(key, bad, now)).toEqual({ ok: false, why: 'malformed' });
  });
});

describe('announcements', () => {
  const incident: Incident = {
    id,
    appId: 'shop',
    check: 'db',
    stateKey: 'check:db',
    status: 'acknowledged',
    since: '2026-11-30T09:00:00.000Z',
    severity: 'critical',
    title: 'Database down',
    eventId: 'evt_1',
    lastEventId: 'evt_1',
    told: [],
  };
  it('say who did what, with the note, and name the state key incident tools update', () => {
    expect(announcementOf(incident, 'acknowledged', 'ops@shop.example', 'looking into it')).toMatchObject({
      type: 'incident.acknowledged',
      severity: 'info',
      title: 'Ack by ops@shop.example: looking into it',
      data: { incident: id, stateKey: 'check:db', by: 'ops@shop.example', note: 'looking into it' },
    });
    expect(announcementOf(incident, 'resolved', 'admin', undefined)).toMatchObject({
      type: 'incident.resolved',
      title: 'Resolved by admin',
    });
  });
});
