import * as zod from 'zod';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript, bundle-only (infra/bundling.ts aliases `zod` to it)
import * as bundled from '../../../shared/aws/zod/index.js';

/**
 * The zod of the function bundles (shared/aws/zod/) is zod's own namespace without its
 * locales: after an update of zod, anything zod adds that the bundles' copy of its entry
 * lacks fails here, not on AWS.
 */
describe("the bundles' zod", () => {
  const without = (names: string[], left: string) => names.filter((n) => n !== left).sort();

  it('exports all that zod exports but its locales, the same objects', () => {
    expect(without(Object.keys(bundled), 'locales')).toEqual(without(Object.keys(zod), 'locales'));
    expect(Object.keys(bundled)).not.toContain('locales');
    for (const name of Object.keys(bundled))
      if (name !== 'core' && name !== 'z' && name !== 'default' && name !== 'iso' && name !== 'coerce')
        expect(bundled[name], name).toBe((zod as Record<string, unknown>)[name]);
  });

  it("has all of zod's core but its locales, and its z is itself", () => {
    expect(without(Object.keys(bundled.core), 'locales')).toEqual(without(Object.keys(zod.core), 'locales'));
    expect(Object.keys(bundled.z).sort()).toEqual(
      Object.keys(bundled)
        .filter((n) => n !== 'z' && n !== 'default')
        .sort(),
    );
    expect(bundled.default).toBe(bundled.z);
  });

  it('answers in English, the locale zod sets by itself', () => {
    const result = bundled.z.object({ title: bundled.z.string().max(3) }).safeParse({ title: 'four' });
    expect(result.success).toBe(false);
    expect(result.error.issues[0].message).toBe('Too big: expected string to have <=3 characters');
  });
});
