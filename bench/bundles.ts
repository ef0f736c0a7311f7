import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptions } from '../infra/bundling.js';
import { median } from './figures.js';
import type { FunctionSettings } from './stack-settings.js';

export interface BundleFigure {
  name: string;
  kib: number;
  mapKib: number;
  /** Median time to import the bundle (its top-level code included) in a fresh `node`, with the stack's NODE_OPTIONS (none now). */
  importMs: number;
  nodeOptions: string;
}

/**
 * The function's environment as the stack sets it and Lambda adds, but its secrets given
 * rather than named: reading one is a call to Secrets Manager, not part of the import.
 */
function importEnvironment(f: FunctionSettings): Record<string, string | undefined> {
  const secretsNamed = Object.fromEntries(Object.entries(f.environment).filter(([k]) => !k.endsWith('_SECRET_ARN')));
  return {
    PATH: process.env['PATH'],
    ...secretsNamed,
    ...('HERALD_ADMIN_KEY_SECRET_ARN' in f.environment ? { HERALD_ADMIN_KEY: 'hrd_admin_bench' } : {}),
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_LAMBDA_FUNCTION_NAME: f.name,
  };
}

/** Imports the file and prints how long that took, from inside the process: Node's own start is not in it. */
const TIMER =
  'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t)); process.exit(0);';

/**
 * Each function's bundle as NodejsFunction builds it (infra/bundling.ts), its size, and its
 * import time over bare `node` as Lambda would start it (the flags of the stack's
 * NODE_OPTIONS), median of `runs` fresh processes, the bundles taken in turn so that a busy
 * moment of the machine falls on all of them.
 */
export async function measureBundles(functions: FunctionSettings[], runs = 7): Promise<{ bundles: BundleFigure[]; nodeStartMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'herald-bench-bundles-'));
  try {
    const built = await Promise.all(
      functions.map(async (f) => {
        const outfile = join(dir, f.name, 'index.mjs');
        await build(esbuildOptions(`functions/${f.name}/handler.ts`, outfile, f.name));
        for (const command of f.afterBundling?.(dirname(outfile)) ?? []) execSync(command, { stdio: 'ignore' });
        const mapBytes = (() => {
          try {
            return statSync(`${outfile}.map`).size;
          } catch {
            return 0;
          }
        })();
        return { f, outfile, bytes: statSync(outfile).size, mapBytes, times: [] as number[] };
      }),
    );
    const importOnce = (f: FunctionSettings, file: string) =>
      Number(
        execFileSync(process.execPath, ['--input-type=module', '-e', TIMER, pathToFileURL(file).href], {
          env: { ...importEnvironment(f), NODE_OPTIONS: f.nodeOptions },
          encoding: 'utf8',
        }),
      );
    // A yardstick of how fast this machine is now: `node -e 0`, start to exit.
    const starts: number[] = [];
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      execFileSync(process.execPath, ['-e', '0']);
      starts.push(performance.now() - t0);
      for (const b of built) b.times.push(importOnce(b.f, b.outfile));
    }
    const bundles = built.map((b) => ({
      name: b.f.name,
      kib: b.bytes / 1024,
      mapKib: b.mapBytes / 1024,
      importMs: median(b.times),
      nodeOptions: b.f.nodeOptions,
    }));
    return { bundles, nodeStartMs: median(starts) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
