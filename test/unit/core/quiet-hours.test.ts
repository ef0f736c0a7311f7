import { describe, expect, it } from 'vitest';
import { quietUntil, type QuietHours } from '../../../shared/core/quiet-hours.js';

const nights: QuietHours = {
  timeZone: 'Europe/Berlin',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '22:00', to: '07:00' }],
  during: 'suppress',
  criticalBypass: false,
};

describe('quiet hours', () => {
  it('are quiet inside a window that runs past midnight, in the time zone, until its end', () => {
    // Tuesday 2026-11-24 22:30 in Berlin is 21:30 UTC (CET, UTC+1).
    expect(quietUntil(nights, new Date('2026-11-24T21:30:00Z'))?.toISOString()).toBe('2026-11-25T06:00:00.000Z');
    // Wednesday 03:00 Berlin, the same night
    expect(quietUntil(nights, new Date('2026-11-25T02:00:00Z'))?.toISOString()).toBe('2026-11-25T06:00:00.000Z');
  });

  it('are not quiet outside the windows', () => {
    expect(quietUntil(nights, new Date('2026-11-24T12:00:00Z'))).toBeUndefined(); // Tuesday 13:00
    expect(quietUntil(nights, new Date('2026-11-28T22:00:00Z'))).toBeUndefined(); // Saturday 23:00: no window starts on Saturday
    expect(quietUntil(nights, new Date('2026-11-30T05:00:00Z'))).toBeUndefined(); // Monday 06:00: Sunday night is not quiet
  });

  it('follow daylight saving time', () => {
    // Berlin is UTC+2 in July: Wednesday 2026-07-15 23:00 local is 21:00 UTC; 07:00 local is 05:00 UTC.
    expect(quietUntil(nights, new Date('2026-07-15T21:00:00Z'))?.toISOString()).toBe('2026-07-16T05:00:00.000Z');
  });

  it('join windows that follow one another', () => {
    const weekend: QuietHours = { ...nights, windows: [...nights.windows, { days: ['sat', 'sun'], from: '00:00', to: '00:00' }] };
    // Friday 23:00 Berlin: the Friday night window ends Saturday 07:00, inside the whole-day Saturday window, then Sunday, until Monday 00:00.
    expect(quietUntil(weekend, new Date('2026-11-27T22:00:00Z'))?.toISOString()).toBe('2026-11-29T23:00:00.000Z');
  });
});
