import type { BuildOptions } from 'esbuild';

/**
 * How every function is bundled: one minified ESM file for Node.js 22 with the AWS SDK
 * inside, and its source map beside it. The CDK app (HeraldFunction) and the bench (bundle
 * sizes and import times) both use this.
 */
export const BUNDLING = {
  format: 'esm',
  target: 'node22',
  minify: true,
  mainFields: ['module', 'main'],
  // Some bundled CommonJS code calls require(); give it one in the ESM bundle.
  banner: "import { createRequire as __herald_createRequire } from 'node:module'; const require = __herald_createRequire(import.meta.url);",
  /** index.mjs.map beside the bundle, named by a comment at its end (NodejsFunction's `sourceMap: true`). */
  sourceMap: true,
  /**
   * The map names files and lines, without the sources' text: --enable-source-maps reads and
   * parses the whole map at start, and the text made it three times larger (5.3 MB for the
   * api), for stack traces that need only the lines.
   */
  sourcesContent: false,
} as const;

/** What NodejsFunction asks esbuild for, given BUNDLING: for the bench, which builds the bundles itself. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    logLevel: 'error',
    format: BUNDLING.format,
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    // NodejsFunction's --sourcemap: a linked .map file.
    ...(BUNDLING.sourceMap ? { sourcemap: 'linked' as const, sourcesContent: BUNDLING.sourcesContent } : {}),
  };
}
