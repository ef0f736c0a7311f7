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
    expect(readFileSync(outfile, 'utf8')).not.toContain('sourceMappingURL');
    const stack = execFileSync(process.execPath, [outfile], { encoding: 'utf8', env: { PATH: process.env['PATH'], NODE_OPTIONS: '' } });
    expect(stack.split('\n')[0]).toBe('Error: the fixture fails here');
    const source = join(process.cwd(), 'test/fixtures/stack-trace/entry.ts');
    expect(stack.split('\n').slice(1, 3)).toEqual([`    at failDeep (${source}:5:9)`, `    at ${source}:9:3`]);
  });
});
