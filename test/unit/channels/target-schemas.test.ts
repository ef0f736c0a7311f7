import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../../../shared/channels/targets.js';
import { CHANNEL_NAMES } from '../../../shared/core/types.js';

/**
 * A target schema answers every input with success or issues, never by throwing: a refine
 * that throws (`new URL` on a string that failed the URL check before it) is a 500 for the
 * admin who typed a wrong URL.
 */
const urlish = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('nope', '', 'http://', 'https://', '//x', 'https://[::1', 'https://chat.googleapis.com', 'a'.repeat(3000)),
  fc.webUrl({ withQueryParameters: true }),
);
const value = fc.oneof(urlish, fc.jsonValue({ maxDepth: 2 }));
const target = fc.dictionary(
  fc.constantFrom('url', 'serverUrl', 'endpoint', 'to', 'secret', 'headers', 'subscriptions', 'avatarUrl', 'iconUrl', 'topic', 'token'),
  fc.oneof(value, fc.array(value, { maxLength: 2 }), fc.array(fc.record({ endpoint: urlish, keys: value }), { maxLength: 2 })),
);

describe('channel target schemas', () => {
  it.each(CHANNEL_NAMES)('%s: any target is answered, never thrown at', (channel) => {
    fc.assert(
      fc.property(target, (t) => {
        expect(() => TARGETS[channel].safeParse(t)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('google_chat: a URL that does not parse is refused as one, naming target.url', () => {
    const parsed = TARGETS.google_chat.safeParse({ url: 'not a url' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual(['url', 'must be an http(s) URL']);
  });
});
