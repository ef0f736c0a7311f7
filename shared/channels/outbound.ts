import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { isPublicAddress } from '../core/address-policy.js';

/** Where a channel may send: anywhere in local mode; on AWS, https to public addresses only. */
export interface OutboundPolicy {
  allowPrivate: boolean;
  /** DNS resolution; tests pass their own. */
  resolve?: (host: string) => Promise<string[]>;
}

export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefused';
  }
}

const systemResolve = (host: string): Promise<string[]> =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses: LookupAddress[]) =>
      err ? reject(err) : resolve(addresses.map((a) => a.address)),
    ),
  );

/**
 * Checks a receiver URL against the policy: https, and every address its host resolves to
 * public. Run when a notifier is saved; the send checks again, on the addresses it
 * connects to (DNS rebinding).
 */
export async function checkOutboundUrl(raw: string, policy: OutboundPolicy): Promise<void> {
  if (policy.allowPrivate) return;
  const url = new URL(raw);
  if (url.protocol !== 'https:') throw new OutboundRefused('must be https');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : await (policy.resolve ?? systemResolve)(host).catch(() => {
        throw new OutboundRefused(`the host ${host} does not resolve`);
      });
  const refused = addresses.find((a) => !isPublicAddress(a));
  if (refused || addresses.length === 0)
    throw new OutboundRefused(`refers to a private or reserved address (${refused ?? 'none'}): refused`);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses private addresses: the connection goes to an
 * address that was checked, so a DNS answer that changes between the check and the
 * connection (rebinding) cannot reach an internal host.
 */
export function guardedLookup(policy: OutboundPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '');
      const usable = policy.allowPrivate ? addresses : addresses.filter((a) => isPublicAddress(a.address));
      if (usable.length === 0) {
        const refused = Object.assign(new Error(`refused: ${hostname} resolves to a private or reserved address`), {
          code: 'EHERALDPRIVATE',
        });
        return callback(refused, '');
      }
      if (options.all) return callback(null, usable);
      const first = usable[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
