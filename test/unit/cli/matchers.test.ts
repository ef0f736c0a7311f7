import { describe, expect, it } from 'vitest';
import { formatMatcher, parseMatcher } from '../../../packages/cli/src/matchers.js';

/** `herald silence add` reads matchers as amtool's users type them, and prints them back so they can be pasted again. */
describe('silence matchers as typed', () => {
  it.each([
    ['alertname=Foo', { field: 'alertname', op: '=', value: 'Foo' }],
    ['data.cluster!=eu-1', { field: 'data.cluster', op: '!=', value: 'eu-1' }],
    ['type=~db\\..*', { field: 'type', op: '=~', value: 'db\\..*' }],
    ['env!~dev|test', { field: 'env', op: '!~', value: 'dev|test' }],
    ['title=~"Backup .*"', { field: 'title', op: '=~', value: 'Backup .*' }],
    ['check=', { field: 'check', op: '=', value: '' }],
    ['data.url=https://x.example/?a=b', { field: 'data.url', op: '=', value: 'https://x.example/?a=b' }],
    ['type==x', { field: 'type', op: '=', value: '=x' }],
  ])('%s', (typed, matcher) => {
    expect(parseMatcher(typed)).toEqual(matcher);
    expect(parseMatcher(formatMatcher(matcher as ReturnType<typeof parseMatcher>))).toEqual(matcher);
  });

  it('refuses what is not field, operator, value (a usage error, the text named)', () => {
    for (const typed of ['colour', '=red', '~x', ''])
      expect(() => parseMatcher(typed)).toThrow(
        expect.objectContaining({ name: 'UsageError', message: expect.stringContaining(`${typed}: expected`) }),
      );
  });
});
