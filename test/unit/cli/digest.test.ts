import { describe, expect, it } from 'vitest';
import { digestOf, digestText } from '../../../packages/cli/src/digest.js';

/** How `herald notifiers add|edit` reads the --digest-* options and how ls and show print a digest. */
describe('digest options', () => {
  it('a window or a schedule; on edit the other is removed (a merge patch), on add nothing is null', () => {
    expect(digestOf({ digestWindow: '1h', digestMax: '50' }, false)).toEqual({ windowSeconds: 3600, maxItems: 50 });
    expect(digestOf({ digestWindow: '1h' }, true)).toEqual({ windowSeconds: 3600, schedule: null, timeZone: null });
    expect(digestOf({ digestSchedule: '0 9 * * 1-5', digestTimeZone: 'Europe/Berlin', digestSendFirst: true }, true)).toEqual({
      schedule: '0 9 * * 1-5',
      windowSeconds: null,
      timeZone: 'Europe/Berlin',
      sendFirst: true,
    });
    expect(digestOf({ digestMax: '20', digestSendFirst: false }, true)).toEqual({ maxItems: 20, sendFirst: null });
    expect(digestOf({ digest: true }, true)).toBeUndefined();
  });

  it('--no-digest removes it; refuses both a window and a schedule, a window with a time zone, and a count that is not one', () => {
    expect(digestOf({ digest: false }, true)).toBeNull();
    expect(() => digestOf({ digest: false, digestMax: '5' }, true)).toThrow('not both');
    expect(() => digestOf({ digestWindow: '1h', digestSchedule: '0 9 * * *' }, false)).toThrow(
      '--digest-window or --digest-schedule, not both',
    );
    expect(() => digestOf({ digestWindow: '1h', digestTimeZone: 'Europe/Berlin' }, false)).toThrow('--digest-time-zone is for');
    expect(() => digestOf({ digestWindow: 'soon' }, false)).toThrow('--digest-window soon: a duration');
    expect(() => digestOf({ digestMax: 'many' }, false)).toThrow('--digest-max many: a whole number');
  });

  it('prints a digest as the options take it', () => {
    expect(digestText({ windowSeconds: 5400 })).toBe('every 1h30m');
    expect(digestText({ schedule: '0 9 * * 1-5', timeZone: 'Europe/Berlin', maxItems: 50, sendFirst: true })).toBe(
      'at 0 9 * * 1-5 Europe/Berlin, max 50, first at once',
    );
    expect(digestText(undefined)).toBe('');
  });
});
