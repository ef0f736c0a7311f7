import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/** What the README says of the client: small, and free of Node built-ins (the console bundles it for the browser). */
describe('the client library', () => {
  it('bundles for a browser with no Node built-in, in under 4.5 KiB minified and gzipped (README: 4.1 KiB)', async () => {
    const result = await build({
      entryPoints: ['packages/client/src/index.ts'],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    expect(new TextDecoder().decode(code)).not.toMatch(/from"node:|require\(/);
    expect(gzipSync(code, { level: 9 }).length).toBeLessThan(4.5 * 1024);
  });
});
