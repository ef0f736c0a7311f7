import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../../shared/channels/targets.js';
import { CHANNEL_NAMES, type ChannelName } from '../../../shared/core/types.js';

/** The README's example target of every channel is one Herald accepts: the front door stays true. */
describe("the README's channel examples", () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const block = /An example target for each[^\n]*\n\n```json\n([\s\S]*?)\n```/.exec(readme)?.[1];
  const examples = JSON.parse(block ?? '{}') as Record<string, unknown>;

  it('show every channel, and only channels', () => {
    expect(Object.keys(examples).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it.each(Object.entries(examples))('%s: the example target is valid', async (channel, target) => {
    const parsed = await TARGETS[channel as ChannelName].safeParseAsync(target);
    expect(parsed.success ? 'valid' : JSON.stringify(parsed.error.issues)).toBe('valid');
  });
});
