import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/bundling.js';

const dir = mkdtempSync(join(tmpdir(), 'herald-stack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stack traces of a bundled function', () => {
  it('name the source file and line, with no flag, while the bundle names no map for Node to read at start', async () => {
    const outfile = join(dir, 'index.mjs');
    await build(esbuildOptions('test/fixtures/stack-trace/entry.ts', outfile));
    await build(esbuildOptions('test/fixtures/stack-trace/lazy.ts', join(dir, 'lazy', 'fail.mjs')));
    expect(readFileSync(outfile, 'utf8')).not.toContain('sourceMappingURL');
    const output = execFileSync(process.execPath, [outfile], { encoding: 'utf8', env: { PATH: process.env['PATH'], NODE_OPTIONS: '' } });
    const [stack = '', besideStack = ''] = output.split('\n---\n');
    expect(stack.split('\n')[0]).toBe('Error: the fixture fails here');
    const source = join(process.cwd(), 'test/fixtures/stack-trace/entry.ts');
    expect(stack.split('\n').slice(1, 3)).toEqual([`    at failDeep (${source}:5:9)`, `    at ${source}:9:3`]);
    // A module beside the bundle (lazy/, as the api's LAZY_MODULES) is named by its own map.
    expect(besideStack.split('\n').slice(0, 3)).toEqual([
      'Error: the module beside fails here',
      `    at failBeside (${join(process.cwd(), 'test/fixtures/stack-trace/lazy.ts')}:3:9)`,
      `    at ${source}:18:3`,
    ]);
  });
});
