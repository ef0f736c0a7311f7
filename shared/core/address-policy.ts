import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Which addresses Herald may send to on AWS: public unicast only, judged on the address's
 * bytes against ipaddr.js's table of special ranges (private, loopback, link-local and the
 * metadata service, CGNAT, multicast, documentation, benchmarking, reserved...).
 *
 * An IPv6 address that carries an IPv4 address to deliver to is judged as that IPv4
 * address: IPv4-mapped `::ffff:a.b.c.d`, SIIT `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`
 * (what DNS64 answers) and 6to4 `2002:aabb:ccdd::`. Any other IPv6 address must be global
 * unicast (2000::/3) outside every special range. That refuses the deprecated
 * IPv4-compatible `::a.b.c.d` (`::7f00:1`), site-local `fec0::/10`, the local-use NAT64
 * prefix `64:ff9b:1::/48` (where its IPv4 address sits depends on a prefix length only the
 * network knows) and Teredo.
 */
export function isPublicAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) return false;
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(bare);
  } catch {
    return false;
  }
  if (address.kind() === 'ipv4') return address.range() === 'unicast';
  const v6 = address as ipaddr.IPv6;
  const carried = carriedIpv4(v6);
  if (carried) return carried.range() === 'unicast';
  return v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST);
}

/** The IPv4 address an IPv6 one delivers to, where the network translates it. */
function carriedIpv4(v6: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = v6.toByteArray();
  const range = v6.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || v6.match(NAT64_WELL_KNOWN)) return new ipaddr.IPv4(bytes.slice(12));
  if (range === '6to4') return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}
