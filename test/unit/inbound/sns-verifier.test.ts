import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Inbound } from '../../../shared/core/inbound/inbound.js';
import { readSnsInbound, type SnsVerifier } from '../../../shared/core/inbound/sns.js';
import { UnauthorizedError, UnavailableError } from '../../../shared/errors.js';
import { refusal, snsFixture } from '../../support/inbound.js';
import { readConfig } from '../../../shared/config.js';
import { SNS_HOST, snsVerifier, snsVerifierOf, type SnsVerifierOptions } from '../../../shared/services/inbound/sns-verifier.js';

/**
 * SNS as seen by Herald: messages signed here with a generated key, its certificate served
 * by a local HTTPS stand-in of SNS (127.0.0.1:<port>, the host the verifier is told to
 * allow, its TLS certificate the CA it trusts). The stand-in also answers SubscribeURLs and
 * counts every GET, so that a test sees what was fetched and what was confirmed.
 */

const dir = mkdtempSync(join(tmpdir(), 'herald-sns-'));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
/** A key and a self-signed certificate, made by openssl (node's crypto cannot make certificates). */
function keyAndCertificate(name: string, subject: string, extra: string[] = []): { key: string; cert: string } {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    subject,
    ...extra,
  );
  return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8') };
}

let tls: { key: string; cert: string };
let sns: { key: string; cert: string };
let attacker: { key: string; cert: string };
let server: Server;
let standIn: string;
let foreign: string;
const gets: string[] = [];

beforeAll(async () => {
  tls = keyAndCertificate('tls', '/CN=127.0.0.1', ['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
  sns = keyAndCertificate('sns', '/CN=sns.amazonaws.com');
  attacker = keyAndCertificate('attacker', '/CN=sns.amazonaws.com');
  server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    gets.push(`${req.headers.host}${path}`);
    if (path === '/slow.pem') return; // never answers
    const body = {
      '/SimpleNotificationService-test.pem': sns.cert,
      '/attacker.pem': attacker.cert,
      '/confirm': '<ConfirmSubscriptionResponse/>',
    }[path];
    res.writeHead(body ? 200 : 404).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  standIn = `127.0.0.1:${port}`;
  // The same server under a name the verifier is not told to allow: an attacker's host.
  foreign = `localhost:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  gets.length = 0;
});

const verifierWith = (options: Partial<SnsVerifierOptions> = {}): SnsVerifier =>
  snsVerifier({ outbound: { allowPrivate: true }, allowedHosts: [standIn], ca: tls.cert, ...options });

/**
 * The string SNS signs, written out here from AWS's documentation on its own (not the
 * module's stringToSign), so that a mistake there cannot sign and verify alike.
 */
function documentedStringToSign(m: Record<string, string>): string {
  const keys =
    m['Type'] === 'Notification'
      ? ['Message', 'MessageId', ...(m['Subject'] === undefined ? [] : ['Subject']), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return keys.map((k) => `${k}\n${m[k]}\n`).join('');
}

/** A fixture's message, its certificate on `certUrl`, signed with `key` as SignatureVersion `version`. */
function signed(
  name: string,
  {
    version = '1',
    certUrl = `https://${standIn}/SimpleNotificationService-test.pem`,
    key = sns.key,
    ...fields
  }: { version?: string; certUrl?: string; key?: string; [field: string]: string | undefined } = {},
): Record<string, string> {
  const message = { ...snsFixture(name), ...(fields as Record<string, string>), SignatureVersion: version, SigningCertURL: certUrl };
  const digest = version === '2' ? 'sha256' : 'sha1';
  return { ...message, Signature: sign(digest, Buffer.from(documentedStringToSign(message)), key).toString('base64') };
}

/** What the inbound endpoint does with an SNS request: read and verify it, confirm a subscription. */
async function receive(body: Record<string, string>, verifier = verifierWith()): Promise<Inbound> {
  const request = { headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: Buffer.from(JSON.stringify(body)) };
  const inbound = await readSnsInbound(request, { settings: {} }, verifier);
  if (inbound.kind === 'confirm') await verifier.confirmSubscription(inbound.subscribeUrl);
  return inbound;
}

const confirmation = (fields: Record<string, string> = {}) =>
  signed('subscription-confirmation.json', { SubscribeURL: `https://${standIn}/confirm?Action=ConfirmSubscription&Token=t1`, ...fields });
const confirms = () => gets.filter((g) => g.endsWith('/confirm'));
const certificateFetches = () => gets.filter((g) => g.endsWith('.pem'));

describe('SNS signatures', () => {
  it('a notification signed with SignatureVersion 1 or 2 verifies; the certificate is fetched once, even for a burst', async () => {
    const verifier = verifierWith();
    const burst = await Promise.all(['1', '2', '1'].map((version) => receive(signed('cloudwatch-alarm.json', { version }), verifier)));
    for (const inbound of [...burst, await receive(signed('cloudwatch-ok.json', { version: '2' }), verifier)]) {
      expect(inbound).toMatchObject({ kind: 'events', events: [{ type: expect.stringMatching(/^alert\./) }] });
    }
    expect(burst[0]).toMatchObject({ events: [{ type: 'alert.firing', id: 'e288882d-4281-5be4-8fde-dccc11c8cb01' }] });
    expect(certificateFetches()).toEqual([`${standIn}/SimpleNotificationService-test.pem`]);
  });

  it('a certificate that could not be fetched is asked for again by the next message', async () => {
    const verifier = verifierWith({ timeoutMs: 300 });
    const slow = signed('cloudwatch-alarm.json', { certUrl: `https://${standIn}/slow.pem` });
    for (let i = 0; i < 2; i++) expect((await refusal(receive(slow, verifier))).status).toBe(503);
    expect(certificateFetches()).toEqual([`${standIn}/slow.pem`, `${standIn}/slow.pem`]);
  });

  it('a subscription confirmation that verifies is confirmed: one GET of its SubscribeURL', async () => {
    expect(await receive(confirmation({ version: '2' }))).toMatchObject({ kind: 'confirm' });
    expect(confirms()).toEqual([`${standIn}/confirm`]);
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
    const err = await refusal(receive(confirmation({ key: attacker.key })));
    expect(err.status).toBe(401);
    expect(confirms()).toEqual([]);
  });

  it('a certificate on a host that is not SNS is refused before it is fetched, however well signed', async () => {
    const forged = confirmation({ certUrl: `https://${foreign}/attacker.pem`, key: attacker.key });
    const err = await refusal(receive(forged));
    expect(err).toBeInstanceOf(UnauthorizedError);
    expect(err.message).toBe(`The signing certificate URL's host ${foreign} is not an Amazon SNS host: refused`);
    expect(gets).toEqual([]);
  });

  it('a certificate over http is refused, on any host', async () => {
    for (const certUrl of [`http://${standIn}/SimpleNotificationService-test.pem`, 'http://sns.us-east-1.amazonaws.com/cert.pem']) {
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
      receive(signed('cloudwatch-alarm.json', { certUrl: `https://${standIn}/slow.pem` }), verifierWith({ timeoutMs: 300 })),
    );
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("on AWS's outbound rule, a stand-in on a private address is refused, by address or by a name that resolves to one", async () => {
    const aws = { outbound: { allowPrivate: false }, allowedHosts: [standIn, foreign] };
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
    const env = { HERALD_TABLE: 'herald', HERALD_SNS_ALLOWED_HOSTS: standIn, HERALD_SNS_CA_FILE: join(dir, 'tls.pem') };
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
