import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalHerald } from '../support/local-mode.js';

/** HERALD_OUTBOUND_POLICY=aws: local mode applies the AWS outbound policy, so that a user can try it. */
const dataDir = mkdtempSync(join(tmpdir(), 'herald-outbound-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start with HERALD_OUTBOUND_POLICY=aws', () => {
  it('says so at start, and refuses notifiers to private addresses as on AWS', async () => {
    const herald = await startLocalHerald(dataDir, { HERALD_OUTBOUND_POLICY: 'aws' });
    try {
      expect(herald.output()).toMatch(/Outbound\s+https to public addresses only, as on AWS/);
      expect(
        (await herald.call('POST', '/v1/apps', herald.adminKey, { id: 'shop', name: 'Shop', owner: { email: 'o@shop.example' } })).status,
      ).toBe(201);
      for (const [url, why] of [
        ['http://127.0.0.1:9/hook', 'must be https'],
        ['https://127.0.0.1/hook', 'private'],
        ['https://[::127.0.0.1]/hook', 'private'],
      ] as const) {
        const res = await herald.call('POST', '/v1/apps/shop/notifiers', herald.adminKey, {
          name: 'Hook',
          channel: 'webhook',
          target: { url },
        });
        expect(res.status, url).toBe(400);
        expect(res.body.error.details[0], url).toMatchObject({ path: 'target.url', message: expect.stringContaining(why) });
      }
    } finally {
      await herald.stop();
    }
  });
});
