import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../shared/core/duration.js';
import { TEXTS } from '../../../shared/core/messages/locales.js';

describe('durations in messages', () => {
  it('read in the unit that fits', () => {
    expect([90, 660, 9000, 259_200].map((s) => formatDuration(s))).toEqual(['90 s', '11 min', '2.5 h', '3 days']);
    expect(formatDuration(660, TEXTS.de.units)).toBe('11 Min.');
  });
});
