import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILY_NAMES } from '../../shared/core/types.js';
import { dlqUrlVariable, queueUrlVariable } from '../../shared/resources.js';

const run = promisify(execFile);
let out: string;

/** `npm run synth` as a user runs it: offline, bundling every function with the local esbuild. */
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'herald-synth-'));
  await run('npx', ['cdk', 'synth', '--quiet', '--output', out], { timeout: 120_000 });
}, 150_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('cdk synth', () => {
  it('writes both stacks', () => {
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['HeraldData.template.json', 'HeraldService.template.json']));
  });

  it("puts the console's files beside the console function's bundle", () => {
    const template = JSON.parse(readFileSync(join(out, 'HeraldService.template.json'), 'utf8'));
    const [consoleFn] = Object.entries(template.Resources as Record<string, any>).filter(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('ConsoleFunction'),
    );
    const files = readdirSync(join(out, consoleFn?.[1].Metadata['aws:asset:path'], 'console'));
    expect(files).toEqual(expect.arrayContaining(['index.html', 'sw.js', 'icon.svg']));
    expect(files.some((f) => /^app-\w{8}\.js$/.test(f))).toBe(true);
  });

  it('bundles each function into one ESM file that loads and exports its handler', async () => {
    const template = JSON.parse(readFileSync(join(out, 'HeraldService.template.json'), 'utf8'));
    const assets = Object.values(template.Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Metadata['aws:asset:path'] as string);
    expect(assets).toHaveLength(4 + FAMILY_NAMES.length);
    for (const asset of assets) {
      const dir = join(out, asset);
      expect(readdirSync(dir)).toEqual(expect.arrayContaining(['index.mjs', 'index.mjs.map']));
      // The SDK's credential chain replaced by the environment's credentials (infra/bundling.ts, its alias).
      expect(readFileSync(join(dir, 'index.mjs'), 'utf8').includes('defaultProvider::fromSSO'), `${asset} carries the chain`).toBe(false);
      // Load it in a fresh Node, as Lambda would, with the environment the stack gives it.
      const script = 'import(process.argv[1]).then((m) => console.log(typeof m.handler))';
      const queues = FAMILY_NAMES.flatMap((c) => [
        [queueUrlVariable(c), `https://sqs.example/${c}`],
        [dlqUrlVariable(c), `https://sqs.example/${c}-dlq`],
      ]);
      const env = {
        ...process.env,
        ...Object.fromEntries(queues),
        HERALD_TABLE: 't',
        HERALD_ADMIN_KEY: 'k',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };
      const loaded = await run(process.execPath, ['-e', script, join(dir, 'index.mjs')], { env }).catch((err: { stderr?: string }) => ({
        // The minified bundle is in the stack trace: keep only the error line.
        stdout:
          String(err.stderr)
            .split('\n')
            .find((l) => l.startsWith('Error')) ?? 'failed',
      }));
      expect(loaded.stdout.trim(), asset).toBe('function');
    }
    // The SDK's environment reader (fromEnv: its error text) is in every bundle that calls AWS.
    // RE2 for silences' patterns ships beside the bundles of the functions that ingest events (infra/bundling.ts, PACKAGES_BESIDE).
    const withRe2 = assets.filter((a) => existsSync(join(out, a, 'node_modules', 're2-wasm', 'build', 'wasm', 're2.wasm')));
    expect(withRe2).toHaveLength(3); // api, ingest, sweeper
    const withCredentials = assets.filter((a) =>
      readFileSync(join(out, a, 'index.mjs'), 'utf8').includes('Unable to find environment variable credentials'),
    );
    expect(withCredentials).toHaveLength(assets.length - 1); // all but the console's, which calls no AWS service
  });
});
