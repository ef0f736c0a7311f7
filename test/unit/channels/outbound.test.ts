import { describe, expect, it } from 'vitest';
import { postJson } from '../../../shared/channels/http-post.js';
import { checkOutboundUrl, OutboundRefused } from '../../../shared/channels/outbound.js';
import { isPublicAddress } from '../../../shared/core/address-policy.js';
import { PermanentDeliveryError } from '../../../shared/errors.js';

/** DNS answers for the test: names that resolve to private addresses, one that is public. */
const dns: Record<string, string[]> = {
  'public.example': ['93.184.216.34'],
  'rebind.example': ['127.0.0.1'],
  'internal.example': ['10.1.2.3'],
  'mixed.example': ['93.184.216.34', '192.168.0.1'],
  'metadata.example': ['169.254.169.254'],
  'v6local.example': ['fd12:3456::1'],
  localhost: ['127.0.0.1', '::1'],
};
const policy = { allowPrivate: false, resolve: async (host: string) => dns[host] ?? Promise.reject(new Error('ENOTFOUND')) };

describe('SSRF: where Herald may send on AWS', () => {
  it.each([
    ['http://93.184.216.34/hook', 'plain http'],
    ['https://127.0.0.1/', 'loopback'],
    ['https://2130706433/', 'loopback, decimal'],
    ['https://0177.0.0.1/', 'loopback, octal'],
    ['https://0x7f000001/', 'loopback, hex'],
    ['https://127.1/', 'loopback, short form'],
    ['https://[::1]/', 'IPv6 loopback'],
    ['https://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback'],
    ['https://[::ffff:7f00:1]/', 'IPv4-mapped loopback, hex'],
    ['https://[64:ff9b::7f00:1]/', 'NAT64 loopback'],
    ['https://[::127.0.0.1]/', 'IPv4-compatible loopback (parsed ::7f00:1)'],
    ['https://[::a9fe:a9fe]/', 'IPv4-compatible metadata service'],
    ['https://[::ffff:0:7f00:1]/', 'SIIT-translated loopback'],
    ['https://[64:ff9b:1::7f00:1]/', 'local-use NAT64 prefix'],
    ['https://[2002:7f00:1::]/', '6to4 of loopback'],
    ['https://[2002:a9fe:a9fe::1]/', '6to4 of the metadata service'],
    ['https://[fec0::1]/', 'IPv6 site-local'],
    ['https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', 'Teredo'],
    ['https://[2001:db8::1]/', 'IPv6 documentation'],
    ['https://169.254.169.254/latest/meta-data/', 'the metadata service'],
    ['https://10.0.0.1/', 'private 10/8'],
    ['https://172.16.5.4/', 'private 172.16/12'],
    ['https://192.168.1.1/', 'private 192.168/16'],
    ['https://100.64.0.1/', 'CGNAT'],
    ['https://0.0.0.0/', 'this network'],
    ['https://224.0.0.1/', 'multicast'],
    ['https://[ff02::1]/', 'IPv6 multicast'],
    ['https://[fc00::1]/', 'IPv6 unique-local'],
    ['https://[fe80::1]/', 'IPv6 link-local'],
    ['https://localhost/', 'a name for loopback'],
    ['https://rebind.example/', 'a name that resolves to loopback'],
    ['https://internal.example/', 'a name that resolves to a private address'],
    ['https://mixed.example/', 'a name with one private address among public ones'],
    ['https://metadata.example/', 'a name that resolves to the metadata service'],
    ['https://v6local.example/', 'a name that resolves to IPv6 unique-local'],
    ['https://nowhere.example/', 'a name that does not resolve'],
  ])('refuses %s (%s)', async (url) => {
    await expect(checkOutboundUrl(url, policy)).rejects.toBeInstanceOf(OutboundRefused);
  });

  it('accepts https to public addresses, and anything in local mode', async () => {
    await expect(checkOutboundUrl('https://public.example/hook', policy)).resolves.toBeUndefined();
    await expect(checkOutboundUrl('https://93.184.216.34/hook', policy)).resolves.toBeUndefined();
    await expect(checkOutboundUrl('http://127.0.0.1:8080/hook', { allowPrivate: true })).resolves.toBeUndefined();
  });

  it('classifies addresses', () => {
    for (const ip of ['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])
      expect(isPublicAddress(ip), ip).toBe(true);
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '::7f00:1',
      '::a9fe:a9fe',
      'not an ip',
    ])
      expect(isPublicAddress(ip), ip).toBe(false);
  });

  it('checks again when sending, on the address it connects to (DNS rebinding), and never sends plain http', async () => {
    const context = { httpTimeoutMs: 1000, now: () => new Date(), outbound: { allowPrivate: false } };
    for (const url of [
      'https://localhost:9/hook',
      'https://127.0.0.1:9/hook',
      'https://[::ffff:127.0.0.1]:9/',
      'http://93.184.216.34/hook',
    ]) {
      const err = await postJson(url, '{}', {}, context).catch((e: unknown) => e);
      expect(err, url).toBeInstanceOf(PermanentDeliveryError);
      expect((err as Error).message, url).toContain('refused');
    }
  });
});
