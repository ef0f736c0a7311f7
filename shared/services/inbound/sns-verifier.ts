import { verify, X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { guardedLookup, type OutboundPolicy } from '../../channels/outbound.js';
import { outboundOf, type Config } from '../../config.js';
import { isPublicAddress } from '../../core/address-policy.js';
import { signatureDigestOf, stringToSign, type SnsMessage, type SnsVerifier } from '../../core/inbound/sns.js';
import { UnauthorizedError, UnavailableError } from '../../errors.js';

/**
 * SNS's own hosts, in every partition (aws, aws-us-gov: `sns.<region>.amazonaws.com`;
 * aws-cn: `sns.<region>.amazonaws.com.cn`): the pattern AWS's SDKs validate messages with
 * (the PHP SDK's MessageValidator, the Ruby SDK's MessageVerifier, sns-validator for Node).
 */
export const SNS_HOST = /^sns\.[a-z0-9-]{3,}\.amazonaws\.com(\.cn)?$/;

/** The verifier a function builds from its config: SNS's hosts, and in local mode a stand-in's if one is configured. */
export const snsVerifierOf = (config: Pick<Config, 'local' | 'outboundPolicy' | 'snsStandIn'>): SnsVerifier =>
  snsVerifier({ outbound: outboundOf(config), allowedHosts: config.snsStandIn?.allowedHosts ?? [], ca: config.snsStandIn?.ca });

/** An SNS certificate is ~2 KB of PEM; anything much larger is not one. */
const MAX_CERTIFICATE_BYTES = 16_384;

export interface SnsVerifierOptions {
  /** Where Herald may connect (config's outboundOf): on AWS, public addresses only. */
  outbound: OutboundPolicy;
  /** Hosts trusted besides SNS's, as `host:port`: a local stand-in of SNS (tests, local mode). */
  allowedHosts?: readonly string[];
  /** The CA trusted for the fetches instead of the system's: a stand-in's self-signed certificate. Unset on AWS. */
  ca?: string | Buffer;
  /** How long one fetch may take: it happens inside the sender's request. Default 3000 ms. */
  timeoutMs?: number;
  /** How many certificates are kept, by URL. Default 16 (SNS has one per region and rotation). */
  cacheSize?: number;
  now?: () => Date;
}

/**
 * The SnsVerifier adapter: checks a message's signature with the certificate of its
 * SigningCertURL, fetched over HTTPS only from an SNS host (or a host the options allow),
 * kept by URL; and confirms subscriptions by a GET to their SubscribeURL, under the same
 * rule. One per cold start, so that its cache lasts.
 */
export function snsVerifier(options: SnsVerifierOptions): SnsVerifier {
  const allowed = new Set(options.allowedHosts ?? []);
  const timeoutMs = options.timeoutMs ?? 3000;
  const cacheSize = options.cacheSize ?? 16;
  const now = options.now ?? (() => new Date());
  // Certificates fetched, kept by URL; and those being fetched, so that a burst of alarms on
  // a cold start fetches one once. Only a certificate fetched is kept (and evicts the oldest):
  // requests naming URLs that fail, which anyone may send, cannot push SNS's own out.
  const certificates = new Map<string, X509Certificate>();
  const fetching = new Map<string, Promise<X509Certificate>>();

  /** An https URL on an SNS host, or an allowed one; else a 401 saying why. */
  function trusted(raw: string, what: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new UnauthorizedError(`The ${what} ${raw} is not a URL: refused`);
    }
    if (url.protocol !== 'https:') throw new UnauthorizedError(`The ${what} must be https: ${raw} is refused`);
    const isAllowed = allowed.has(url.host);
    // A port or credentials on an SNS host name is no URL SNS sends.
    const isSns = SNS_HOST.test(url.hostname) && !url.port && !url.username && !url.password;
    if (!isSns && !isAllowed) throw new UnauthorizedError(`The ${what}'s host ${url.host} is not an Amazon SNS host: refused`);
    return url;
  }

  async function get(url: URL, maxBytes: number, what: string): Promise<Buffer> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!options.outbound.allowPrivate && isIP(host) && !isPublicAddress(host)) {
      throw new UnauthorizedError(`The ${what} refers to a private address: refused`);
    }
    try {
      const { status, body } = await fetchOnce(url, { ca: options.ca, maxBytes, timeoutMs, outbound: options.outbound });
      if (status < 200 || status > 299) throw new Error(`HTTP ${status}`);
      return body;
    } catch (err) {
      // Without the query: a SubscribeURL's carries the subscription's token.
      const where = `${url.origin}${url.pathname}`;
      if ((err as { code?: string }).code === 'EHERALDPRIVATE')
        throw new UnauthorizedError(`The ${what} ${where} is refused: ${(err as Error).message}`);
      throw new UnavailableError(`Could not get the ${what} ${where}: ${(err as Error).message}`, { cause: err });
    }
  }

  function certificateOf(raw: string): Promise<X509Certificate> {
    const cached = certificates.get(raw);
    if (cached) return Promise.resolve(cached);
    const inFlight = fetching.get(raw);
    if (inFlight) return inFlight;
    // A refusal or a failure is not kept: the next message asks again.
    const fetched = fetchCertificate(raw)
      .then((certificate) => {
        if (certificates.size >= cacheSize) certificates.delete(certificates.keys().next().value as string);
        certificates.set(raw, certificate);
        return certificate;
      })
      .finally(() => fetching.delete(raw));
    fetching.set(raw, fetched);
    return fetched;
  }

  async function fetchCertificate(raw: string): Promise<X509Certificate> {
    const url = trusted(raw, 'signing certificate URL');
    if (!url.pathname.endsWith('.pem')) throw new UnauthorizedError(`The signing certificate URL ${raw} is not a .pem: refused`);
    const pem = await get(url, MAX_CERTIFICATE_BYTES, 'signing certificate');
    try {
      return new X509Certificate(pem);
    } catch {
      throw new UnauthorizedError(`The signing certificate at ${raw} is not an X.509 certificate: refused`);
    }
  }

  return {
    async verify(message: SnsMessage): Promise<void> {
      const certificate = await certificateOf(message.SigningCertURL);
      const at = now().getTime();
      if (at < Date.parse(certificate.validFrom) || at > Date.parse(certificate.validTo)) {
        throw new UnauthorizedError(`The signing certificate at ${message.SigningCertURL} is not valid now: refused`);
      }
      const data = Buffer.from(stringToSign(message), 'utf8');
      const signature = Buffer.from(message.Signature, 'base64');
      let verified = false;
      try {
        verified = verify(signatureDigestOf(message), data, certificate.publicKey, signature);
      } catch {
        // A key or signature node cannot use: the same answer as a signature that does not match.
      }
      if (!verified) throw new UnauthorizedError("The SNS message's signature does not verify: refused");
    },

    async confirmSubscription(subscribeUrl: string): Promise<void> {
      await get(trusted(subscribeUrl, 'SubscribeURL'), 65_536, 'SubscribeURL');
    },
  };
}

interface FetchOptions {
  ca: string | Buffer | undefined;
  maxBytes: number;
  timeoutMs: number;
  outbound: OutboundPolicy;
}

/**
 * One GET, its body read up to maxBytes, connecting only to addresses the outbound policy
 * allows (checked on the address connected to), no redirect followed. Not sendHttp
 * (channels/http-post.ts): that one POSTs a delivery, without a CA of its own.
 */
function fetchOnce(url: URL, options: FetchOptions): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        headers: { 'user-agent': 'Herald/0.1' },
        ...(options.ca ? { ca: options.ca } : {}),
        lookup: guardedLookup(options.outbound) as never,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) req.destroy(new Error(`the answer is over ${options.maxBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
