import { describe, expect, it } from 'vitest';
import { groupingOf, secondsOption } from '../../../packages/cli/src/grouping.js';
import { colourStatus, durationText } from '../../../packages/cli/src/output.js';

/** How `herald notifiers` reads --group-* durations and prints them back, and how a grouped delivery is coloured. */
describe('grouping options', () => {
  it('reads 30s, 5m, 4h, 1h30m and bare seconds; prints seconds back the same way', () => {
    expect(['30s', '5m', '4h', '1h30m', '90', '1d'].map((d) => secondsOption(d, '--group-wait'))).toEqual([
      30, 300, 14_400, 5400, 90, 86_400,
    ]);
    expect([30, 300, 14_400, 5400, 90, 86_400, 0].map(durationText)).toEqual(['30s', '5m', '4h', '1h30m', '1m30s', '1d', '0s']);
    expect(() => secondsOption('soon', '--group-wait')).toThrow(
      '--group-wait soon: a duration (30s, 5m, 4h, 1h30m) or a number of seconds',
    );
  });

  it('any --group-* option is a grouping (what it leaves out Herald fills or keeps); --no-grouping removes it, not with --group-*', () => {
    expect(groupingOf({ grouping: true })).toBeUndefined();
    expect(groupingOf({ groupBy: ['data.cluster'], groupWait: '2s' })).toEqual({ by: ['data.cluster'], waitSeconds: 2 });
    expect(groupingOf({ groupRepeat: '1d', grouping: true })).toEqual({ repeatSeconds: 86_400 });
    expect(groupingOf({ grouping: false })).toBeNull();
    expect(() => groupingOf({ grouping: false, groupBy: ['check'] })).toThrow('not both');
  });

  it('colours grouped apart from sent, failed and held deliveries', () => {
    const colour = (style: string, text: string) => `<${style}>${text}`;
    expect(['grouped', 'sent', 'dead', 'suppressed'].map((s) => colourStatus(colour, s))).toEqual([
      '<cyan>grouped',
      '<green>sent',
      '<red>dead',
      '<yellow>suppressed',
    ]);
  });
});
