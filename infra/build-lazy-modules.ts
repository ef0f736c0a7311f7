/**
 * Builds LAZY_MODULES (infra/bundling.ts) into `<dir>/lazy/<name>.mjs`, beside a function's
 * bundle, with the bundle's own options (ESM for Node.js 22, minified, its map beside it):
 *   node --import tsx infra/build-lazy-modules.ts <dir>
 * Run after bundling (HeraldFunction's afterBundling, the bench), from the project's root.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { esbuildOptions, LAZY_MODULES } from './bundling.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: build-lazy-modules.ts <the directory of the bundle>');
await Promise.all(Object.entries(LAZY_MODULES).map(([name, source]) => build(esbuildOptions(source, join(dir, 'lazy', `${name}.mjs`)))));
