import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snsFixture } from './inbound.js';

/**
 * A local HTTPS stand-in of Amazon SNS: its TLS certificate and SNS's signing key are made
 * by openssl (node's crypto cannot make certificates), the signing certificate is served as
 * SNS serves it, SubscribeURLs are answered, and every GET is kept, so that a test sees what
 * Herald fetched and what it confirmed. Herald trusts it through `allowedHosts` (its
 * `host:port`) and `ca` (its TLS certificate): Config's `snsStandIn`.
 */
export interface SnsStandIn {
  /** `127.0.0.1:<port>`: the host Herald is told to allow. */
  host: string;
  /** The same server under a name Herald is not told to allow (`localhost:<port>`): an attacker's host. */
  foreignHost: string;
  /** Config's `snsStandIn`: the host allowed and the CA trusted. */
  trust: { allowedHosts: string[]; ca: string };
  /** The PEM of the stand-in's TLS certificate, as a file (HERALD_SNS_CA_FILE). */
  caFile: string;
  /** Where the signing certificate is served. */
  certUrl: string;
  /** A SubscribeURL the stand-in answers (`/confirm`), with the given token. */
  subscribeUrl(token?: string): string;
  /** SNS's signing key, and a key of someone else whose certificate is served at `/attacker.pem`. */
  keys: { sns: string; attacker: string };
  /** Every GET, as `host/path` (no query: a SubscribeURL's token stays out). */
  gets: string[];
  /** The GETs of a SubscribeURL: the subscriptions confirmed. */
  confirms(): string[];
  /** The GETs of a signing certificate. */
  certificateFetches(): string[];
  close(): Promise<void>;
}

export async function startSnsStandIn(): Promise<SnsStandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-sns-'));
  /** A key and a self-signed certificate. */
  const keyAndCertificate = (name: string, subject: string, extra: string[] = []) => {
    execFileSync(
      'openssl',
      [
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
      ],
      { cwd: dir, stdio: 'pipe' },
    );
    return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8') };
  };
  const tls = keyAndCertificate('tls', '/CN=127.0.0.1', ['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
  const sns = keyAndCertificate('sns', '/CN=sns.amazonaws.com');
  const attacker = keyAndCertificate('attacker', '/CN=sns.amazonaws.com');
  const gets: string[] = [];
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    gets.push(`${req.headers.host}${path}`);
    if (path === '/slow.pem' || path.startsWith('/slow-')) return; // never answers
    const body = {
      '/SimpleNotificationService-test.pem': sns.cert,
      '/attacker.pem': attacker.cert,
      '/confirm': '<ConfirmSubscriptionResponse/>',
    }[path];
    res.writeHead(body ? 200 : 404).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    host,
    foreignHost: `localhost:${port}`,
    trust: { allowedHosts: [host], ca: tls.cert },
    caFile: join(dir, 'tls.pem'),
    certUrl: `https://${host}/SimpleNotificationService-test.pem`,
    subscribeUrl: (token = 't1') => `https://${host}/confirm?Action=ConfirmSubscription&Token=${token}`,
    keys: { sns: sns.key, attacker: attacker.key },
    gets,
    confirms: () => gets.filter((g) => g.endsWith('/confirm')),
    certificateFetches: () => gets.filter((g) => g.endsWith('.pem')),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The string SNS signs, written out here from AWS's documentation on its own (not Herald's
 * stringToSign), so that a mistake there cannot sign and verify alike.
 */
function documentedStringToSign(m: Record<string, string>): string {
  const keys =
    m['Type'] === 'Notification'
      ? ['Message', 'MessageId', ...(m['Subject'] === undefined ? [] : ['Subject']), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return keys.map((k) => `${k}\n${m[k]}\n`).join('');
}

export interface SigningOptions {
  /** The signing certificate's URL: the stand-in's `certUrl`, or one elsewhere. */
  certUrl: string;
  /** The key that signs: the stand-in's `keys.sns`, or another. */
  key: string;
  /** SignatureVersion: 1 (SHA1withRSA, the default) or 2 (SHA256withRSA). */
  version?: '1' | '2';
  /** Fields set over the fixture's before signing (TopicArn, MessageId, SubscribeURL, Message…). Timestamp: now, as SNS sends it, unless given. */
  fields?: Record<string, string>;
}

/** A fixture of test/fixtures/sns/, its fields changed as given, signed as SNS signs it. */
export function signedSnsMessage(name: string, { certUrl, key, version = '1', fields = {} }: SigningOptions): Record<string, string> {
  const message = {
    ...snsFixture(name),
    Timestamp: new Date().toISOString(),
    ...fields,
    SignatureVersion: version,
    SigningCertURL: certUrl,
  };
  const digest = version === '2' ? 'sha256' : 'sha1';
  return { ...message, Signature: sign(digest, Buffer.from(documentedStringToSign(message)), key).toString('base64') };
}
