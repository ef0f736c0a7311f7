import { describe, expect, it } from 'vitest';
import { maskUrl } from '../../../shared/channels/channel.js';
import { TARGETS } from '../../../shared/channels/targets.js';
import { CHANNELS } from '../../support/channels.js';
import { CHANNEL_NAMES } from '../../../shared/core/types.js';
import { hidesSecret, TARGETS_WITH_SECRETS as cases } from '../../support/channel-targets.js';

/** Shown: at most a 4-character prefix of a secret, never 5 characters of it in a row. */
const expectHidden = (shown: string, secret: string) => expect(hidesSecret(shown, secret), `${shown} shows part of ${secret}`).toBe(true);

describe('maskUrl', () => {
  it.each([
    ['a Slack URL ending in /', 'https://hooks.slack.com/services/T0123ABCD/B0123ABCD/xoxbTokenTokenToken/', 'xoxbTokenTokenToken'],
    ['a single-segment URL', 'https://relay.example/s3cretTok3nInThePath', 's3cretTok3nInThePath'],
    ['a token before a fixed segment', 'https://relay.example/hooks/tok3nTok3nTok3n/receive', 'tok3nTok3nTok3n'],
    ["Zapier's catch hook", 'https://hooks.zapier.com/hooks/catch/123456/zapsecret/', 'zapsecret'],
    ['an all-lowercase token', 'https://relay.example/hooks/abcdefghij', 'abcdefghij'],
    ['query values', 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=AIzaKeyKeyKey&token=TokTokTokTok', 'TokTokTokTok'],
    ['a query key that is the token', 'https://relay.example/in?Tok3n%2FTok3n%2Bsecret', 'Tok3n/Tok3n+secret'],
    ['userinfo', 'https://user:passw0rdpassw0rd@relay.example/', 'passw0rdpassw0rd'],
    ['a fragment', 'https://relay.example/#fragmentsecret', 'fragmentsecret'],
  ])('hides %s, keeping the host', (_what, url, secret) => {
    const shown = maskUrl(url);
    expect(shown).toContain(new URL(url).host);
    expectHidden(shown, secret);
  });

  it('keeps the words that name the URL, and a prefix that tells two URLs apart', () => {
    expect(maskUrl('https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx')).toBe(
      'https://hooks.slack.com/services/T0****/B0****/abcd****',
    );
    expect(maskUrl('https://discord.com/api/webhooks/123456789012345678/tokentokentokentoken')).toBe(
      'https://discord.com/api/webhooks/1234****/toke****',
    );
    expect(maskUrl('not a url')).toBe('****');
  });
});

describe("every channel's mask", () => {
  it.each(CHANNEL_NAMES)('%s: the target as the API shows it, and its recipients as the log shows them, hide its secrets', async (name) => {
    const { target, secrets } = cases[name];
    expect((await TARGETS[name].safeParseAsync(target)).success, 'the case is a valid target').toBe(true);
    const channel = CHANNELS[name];
    const shown = [JSON.stringify(channel.maskTarget(target)), ...channel.recipients(target).map((r) => channel.maskRecipient(r))].join(
      ' ',
    );
    for (const secret of secrets) expectHidden(shown, secret);
  });
});
