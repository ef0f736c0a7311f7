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
  // Parsed as the API parses them, asynchronously: the sms family's phone check loads its library on first use.
  it.each(CHANNEL_NAMES)('%s: any target is answered, never thrown at', async (channel) => {
    await fc.assert(
      fc.asyncProperty(target, async (t) => {
        await expect(TARGETS[channel].safeParseAsync(t)).resolves.toHaveProperty('success');
      }),
      { numRuns: 300 },
    );
  });

  it('sms: a number of E.164 shape that no country uses is refused, naming target.to.0', async () => {
    const parsed = await TARGETS.sms.safeParseAsync({ to: ['+15550000000', '+4915112345678'] });
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['to.0', 'is not a valid phone number']]);
    expect((await TARGETS.sms.safeParseAsync({ to: ['+4915112345678'] })).success).toBe(true);
  });

  it('google_chat: a URL that does not parse is refused as one, naming target.url', () => {
    const parsed = TARGETS.google_chat.safeParse({ url: 'not a url' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join('.'), i.message])).toContainEqual(['url', 'must be an http(s) URL']);
  });
});
