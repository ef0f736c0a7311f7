import { describe, expect, it } from 'vitest';
import { relativeTime } from '../../../packages/cli/src/output.js';

/** The times the command line prints: one unit in tables ("3m ago"), two where one would mislead (when a silence ends). */
describe('relativeTime', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();

  it('one unit, rounded down: ago for the past, in for the future', () => {
    expect([0, -59, -61, -7199, -90_000].map((s) => relativeTime(at(s), now))).toEqual(['0s ago', '59s ago', '1m ago', '1h ago', '1d ago']);
    expect([59, 3599, 7199, 86_399].map((s) => relativeTime(at(s), now))).toEqual(['in 59s', 'in 59m', 'in 1h', 'in 23h']);
  });

  it('two units when asked: a 2h silence a second later ends "in 1h 59m", not "in 1h"', () => {
    expect([30, 3600, 7199, 90_000, 200_000].map((s) => relativeTime(at(s), now, 2))).toEqual([
      'in 30s',
      'in 1h',
      'in 1h 59m',
      'in 1d 1h',
      'in 2d 7h',
    ]);
  });
});
