import { describe, expect, it } from 'vitest';
import { eventAttributes, eventOf } from '../../../shared/aws/event-records.js';
import type { HeraldEvent } from '../../../shared/core/types.js';
import { newId, timeOfId } from '../../../shared/ids.js';

/** An event as ingest makes it: its id minted as it is received. */
function received(fields: Partial<HeraldEvent> = {}): HeraldEvent {
  const id = newId('evt');
  const at = new Date(timeOfId(id)).toISOString();
  return {
    id,
    appId: 'shop',
    type: 'app_deployed',
    severity: 'info',
    title: 'Deployed v42',
    data: { commit: 'ac77098' },
    occurredAt: at,
    receivedAt: at,
    ...fields,
  };
}

const record = (event: HeraldEvent) => ({ pk: 'EVT#shop#0', sk: event.id, ...eventAttributes(event) });

describe("an event's record", () => {
  it('leaves out what it tells again (info, the time received when it is the id’s, the time occurred when it is the time received), and reads back the same event, fields in order', () => {
    const event = received();
    const { ev } = eventAttributes(event);
    expect(JSON.parse(ev)).toEqual({ title: 'Deployed v42', data: { commit: 'ac77098' } });
    expect(JSON.stringify(eventOf(record(event), 'shop'))).toBe(JSON.stringify(event));
  });

  it('keeps each of them when it is anything else', () => {
    const event = received({
      severity: 'critical',
      occurredAt: '2026-11-30T09:00:00.000Z',
      receivedAt: '2026-12-01T02:00:00.123Z',
      fingerprint: 'fp-1',
    });
    expect(JSON.parse(eventAttributes(event).ev)).toMatchObject({
      severity: 'critical',
      occurredAt: '2026-11-30T09:00:00.000Z',
      receivedAt: '2026-12-01T02:00:00.123Z',
    });
    expect(JSON.stringify(eventOf(record(event), 'shop'))).toBe(JSON.stringify(event));
    // Received later than its id says, occurred when received: the time received is kept, and is the time occurred too.
    const late = received();
    const later = new Date(timeOfId(late.id) + 1).toISOString();
    expect(eventOf(record({ ...late, occurredAt: later, receivedAt: later }), 'shop')).toEqual({
      ...late,
      occurredAt: later,
      receivedAt: later,
    });
  });

  it('written by the previous version, with every field in ev, reads as it was', () => {
    const event = received({ fingerprint: 'fp-2', source: { tool: 'grafana' } });
    const { id: _id, appId: _appId, type, ...rest } = event;
    const before = { pk: 'EVT#shop#0', sk: event.id, ty: type, ev: JSON.stringify(rest) };
    expect(JSON.stringify(eventOf(before, 'shop'))).toBe(JSON.stringify(event));
  });
});
