import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Inbound } from '../../../shared/core/inbound/inbound.js';
import { readSnsInbound, type SnsVerifier } from '../../../shared/core/inbound/sns.js';
import { UnauthorizedError, UnavailableError } from '../../../shared/errors.js';
import { refusal } from '../../support/inbound.js';
import { signedSnsMessage, startSnsStandIn, type SnsStandIn } from '../../support/sns-stand-in.js';
import { readConfig } from '../../../shared/config.js';
import { SNS_HOST, snsVerifier, snsVerifierOf, type SnsVerifierOptions } from '../../../shared/services/inbound/sns-verifier.js';

/**
 * SNS as seen by Herald: messages signed here with a generated key, its certificate served
 * by a local HTTPS stand-in of SNS (test/support/sns-stand-in.ts: the host the verifier is
 * told to allow, its TLS certificate the CA it trusts), which also answers SubscribeURLs
 * and counts every GET, so that a test sees what was fetched and what was confirmed.
 */

let standIn: SnsStandIn;
let host: string;
let foreign: string;
let gets: string[];

beforeAll(async () => {
  standIn = await startSnsStandIn();
  ({ host, foreignHost: foreign, gets } = standIn);
});

afterAll(async () => {
  await standIn?.close();
});

beforeEach(() => {
  gets.length = 0;
});

const verifierWith = (options: Partial<SnsVerifierOptions> = {}): SnsVerifier =>
  snsVerifier({ outbound: { allowPrivate: true }, allowedHosts: [host], ca: standIn.trust.ca, ...options });

/** A fixture's message, its certificate on `certUrl`, signed with `key` as SignatureVersion `version`. */
function signed(
  name: string,
  {
    version = '1',
    certUrl = standIn.certUrl,
    key = standIn.keys.sns,
    ...fields
  }: { version?: '1' | '2'; certUrl?: string; key?: string; [field: string]: string | undefined } = {},
): Record<string, string> {
  return signedSnsMessage(name, { version, certUrl, key, fields: fields as Record<string, string> });
}

/** What the inbound endpoint does with an SNS request: read and verify it, confirm a subscription. */
async function receive(body: Record<string, string>, verifier = verifierWith()): Promise<Inbound> {
  const request = { headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: Buffer.from(JSON.stringify(body)) };
  const inbound = await readSnsInbound(request, { settings: {} }, verifier, new Date(body['Timestamp'] ?? Date.now()));
  if (inbound.kind === 'confirm') await verifier.confirmSubscription(inbound.subscribeUrl);
  return inbound;
}

const confirmation = (fields: { version?: '1' | '2'; [field: string]: string | undefined } = {}) =>
  signed('subscription-confirmation.json', { SubscribeURL: standIn.subscribeUrl(), ...fields });
const confirms = () => standIn.confirms();
const certificateFetches = () => standIn.certificateFetches();

describe('SNS signatures', () => {
  it('a notification signed with SignatureVersion 1 or 2 verifies; the certificate is fetched once, even for a burst', async () => {
    const verifier = verifierWith();
    const burst = await Promise.all(
      (['1', '2', '1'] as const).map((version) => receive(signed('cloudwatch-alarm.json', { version }), verifier)),
    );
    for (const inbound of [...burst, await receive(signed('cloudwatch-ok.json', { version: '2' }), verifier)]) {
      expect(inbound).toMatchObject({ kind: 'events', events: [{ type: expect.stringMatching(/^alert\./) }] });
    }
    expect(burst[0]).toMatchObject({ events: [{ type: 'alert.firing', id: 'e288882d-4281-5be4-8fde-dccc11c8cb01' }] });
    expect(certificateFetches()).toEqual([`${host}/SimpleNotificationService-test.pem`]);
  });

  it('a certificate that could not be fetched is asked for again by the next message', async () => {
    const verifier = verifierWith({ timeoutMs: 300 });
    const slow = signed('cloudwatch-alarm.json', { certUrl: `https://${host}/slow.pem` });
    for (let i = 0; i < 2; i++) expect((await refusal(receive(slow, verifier))).status).toBe(503);
    expect(certificateFetches()).toEqual([`${host}/slow.pem`, `${host}/slow.pem`]);
  });

  it("certificate URLs that fail, which anyone may post, do not push SNS's own certificate out of the cache", async () => {
    const verifier = verifierWith({ timeoutMs: 300, cacheSize: 2 });
    await receive(signed('cloudwatch-alarm.json'), verifier);
    // At once, as an attacker would send them: each is in flight while the others come.
    const bogus = [0, 1, 2].map((i) => signed('cloudwatch-alarm.json', { certUrl: `https://${host}/slow-${i}.pem` }));
    for (const err of await Promise.all(bogus.map((b) => refusal(receive(b, verifier))))) expect(err.status).toBeGreaterThanOrEqual(400);
    await receive(signed('cloudwatch-ok.json'), verifier);
    expect(certificateFetches().filter((f) => f.endsWith('SimpleNotificationService-test.pem'))).toHaveLength(1);
  });

  it('a subscription confirmation that verifies is confirmed: one GET of its SubscribeURL', async () => {
    expect(await receive(confirmation({ version: '2' }))).toMatchObject({ kind: 'confirm' });
    expect(confirms()).toEqual([`${host}/confirm`]);
  });

  it('a message with one character of its Message changed is refused: 401, and nothing is confirmed', async () => {
    for (const body of [signed('cloudwatch-alarm.json'), confirmation()]) {
      const tampered = { ...body, Message: String(body['Message']).replace('a', 'e') };
      const err = await refusal(receive(tampered));
      expect(err).toBeInstanceOf(UnauthorizedError);
      expect(err.message).toMatch(/signature does not verify/);
    }
    expect(confirms()).toEqual([]);
  });

  it('a message signed by another key than the certificate is refused', async () => {
    const err = await refusal(receive(confirmation({ key: standIn.keys.attacker })));
    expect(err.status).toBe(401);
    expect(confirms()).toEqual([]);
  });

  it('a certificate on a host that is not SNS is refused before it is fetched, however well signed', async () => {
    const forged = confirmation({ certUrl: `https://${foreign}/attacker.pem`, key: standIn.keys.attacker });
    const err = await refusal(receive(forged));
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect(err.message).toBe(`The signing certificate URL's host ${foreign} is not an Amazon SNS host: refused`);
    expect(gets).toEqual([]);
  });

  it('a certificate over http is refused, on any host', async () => {
    for (const certUrl of [`http://${host}/SimpleNotificationService-test.pem`, 'http://sns.us-east-1.amazonaws.com/cert.pem']) {
      const err = await refusal(receive(confirmation({ certUrl })));
      expect(err).toBeInstanceOf(UnauthorizedError);
      expect(err.message).toMatch(/must be https/);
    }
    expect(gets).toEqual([]);
  });

  it('a SubscribeURL that is not an SNS host is never called, even in a message that verifies', async () => {
    const err = await refusal(receive(confirmation({ SubscribeURL: `https://${foreign}/confirm?Action=ConfirmSubscription` })));
    expect(err.message).toBe(`The SubscribeURL's host ${foreign} is not an Amazon SNS host: refused`);
    expect(confirms()).toEqual([]);
  });

  it('a certificate that is not valid now is refused', async () => {
    const later = verifierWith({ now: () => new Date(Date.now() + 30 * 86_400_000) });
    const err = await refusal(receive(signed('cloudwatch-alarm.json'), later));
    expect(err.message).toMatch(/is not valid now/);
  });

  it('a certificate host that does not answer in time is a 503, for SNS to try again', async () => {
    const started = Date.now();
    const err = await refusal(
      receive(signed('cloudwatch-alarm.json', { certUrl: `https://${host}/slow.pem` }), verifierWith({ timeoutMs: 300 })),
    );
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("on AWS's outbound rule, a stand-in on a private address is refused, by address or by a name that resolves to one", async () => {
    const aws = { outbound: { allowPrivate: false }, allowedHosts: [host, foreign] };
    const byAddress = await refusal(receive(signed('cloudwatch-alarm.json'), verifierWith(aws)));
    expect(byAddress.message).toMatch(/private address/);
    const byName = await refusal(
      receive(signed('cloudwatch-alarm.json', { certUrl: `https://${foreign}/attacker.pem` }), verifierWith(aws)),
    );
    expect(byName).toBeInstanceOf(UnauthorizedError);
    expect(byName.message).toMatch(/private or reserved address/);
    expect(gets).toEqual([]);
  });
});

describe('the verifier a function builds from its config', () => {
  it('trusts a stand-in of SNS named by HERALD_SNS_ALLOWED_HOSTS and HERALD_SNS_CA_FILE, in local mode only', async () => {
    const env = { HERALD_TABLE: 'herald', HERALD_SNS_ALLOWED_HOSTS: host, HERALD_SNS_CA_FILE: standIn.caFile };
    const local = readConfig({ ...env, HERALD_LOCAL: '1' });
    expect(await receive(signed('cloudwatch-alarm.json'), snsVerifierOf(local))).toMatchObject({ kind: 'events' });
    expect(() => readConfig(env)).toThrow(/HERALD_SNS_ALLOWED_HOSTS and HERALD_SNS_CA_FILE .* local mode only/);

    const withoutStandIn = snsVerifierOf(readConfig({ HERALD_TABLE: 'herald', HERALD_LOCAL: '1' }));
    const err = await refusal(receive(signed('cloudwatch-alarm.json'), withoutStandIn));
    expect(err.message).toMatch(/is not an Amazon SNS host/);
  });
});

describe("SNS's hosts", () => {
  it("are every partition's sns.<region>.amazonaws.com[.cn], and nothing that only looks like one", () => {
    const hosts = [
      'sns.us-east-1.amazonaws.com',
      'sns.eu-west-1.amazonaws.com',
      'sns.us-gov-west-1.amazonaws.com',
      'sns.cn-north-1.amazonaws.com.cn',
      'sns.us-east-1.amazonaws.com.evil.example',
      'evil-sns.us-east-1.amazonaws.com',
      'sns.amazonaws.com',
      'sns.us-east-1.amazonaws.co',
      'sns.us-east-1.amazonaws.com.cn.example',
    ];
    expect(hosts.filter((h) => SNS_HOST.test(h))).toEqual(hosts.slice(0, 4));
  });
});
