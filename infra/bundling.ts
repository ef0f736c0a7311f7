import type { BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

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
  /**
   * index.mjs.map beside the bundle, named by no comment in it (NodejsFunction's `sourceMap`
   * with SourceMapMode.EXTERNAL): Node does not read it at start, and shared/stack-traces.ts
   * reads it when a stack is first printed, instead of --enable-source-maps at every cold start.
   */
  sourceMap: true,
  /** The map names files and lines, without the sources' text (three times smaller: 5.3 MB for the api). */
  sourcesContent: false,
  /**
   * Packages replaced in the bundles, by paths from the project's root: the SDK's credential
   * chain by the environment's credentials, which is where Lambda puts the role's
   * (shared/aws/lambda-credentials.ts says why); and zod by its own namespace without its 40
   * locales, a quarter of the ingest bundle (shared/aws/zod/namespace.js says why).
   */
  alias: { '@aws-sdk/credential-provider-node': './shared/aws/lambda-credentials.ts', zod: './shared/aws/zod/index.js' },
  /**
   * Packages left out of the bundle and shipped beside it in node_modules/, for the functions
   * that may load them (PACKAGES_BESIDE): RE2 for silences' patterns (re2-wasm reads its
   * WebAssembly from its own folder, and is loaded only at the first silence with a pattern:
   * shared/services/silence-patterns.ts), so a cold start never compiles its 100 KiB of glue;
   * croner for digests' schedules (33 KiB, loaded at the first schedule: core/grouping.ts and
   * services/notifiers.ts).
   */
  external: ['re2-wasm', 'croner'],
} as const;

/**
 * Herald's modules that the api loads late, on a rare path, built as files of their own
 * beside its bundle (`lazy/<name>.mjs`) rather than inside it, so that its cold start does
 * not parse them: libphonenumber-js's check (120 KiB with its metadata, at the first phone
 * number checked) and the template engine (liquidjs, 80 KiB, at the first preview or
 * template override). In those functions' bundles esbuild's define (LAZY_DEFINE) makes the
 * code load the file beside (shared/lazy-module.ts); the other bundles carry the modules.
 */
export const LAZY_MODULES: Readonly<Record<string, string>> = {
  'phone-check': 'shared/channels/sms/sms/phone-check.ts',
  render: 'shared/core/messages/render.ts',
};
export const LAZY_FUNCTIONS: readonly string[] = ['api'];
export const LAZY_DEFINE = { 'process.env.HERALD_LAZY_MODULES': '"beside"' } as const;
export const hasLazyModules = (name: string | undefined): boolean => name !== undefined && LAZY_FUNCTIONS.includes(name);

/** The shell commands that build a function's LAZY_MODULES beside its bundle (`root`: the project's, ending in /). */
export const lazyModulesCommands = (name: string, root: string, outDir: string): string[] =>
  hasLazyModules(name) ? [`cd "${root}" && node --import tsx infra/build-lazy-modules.ts "${outDir}"`] : [];

/** The packages of BUNDLING.external each function ships beside its bundle (those that ingest events: silences and digests apply). */
export const PACKAGES_BESIDE: Readonly<Record<string, readonly string[]>> = {
  api: ['re2-wasm', 'croner'],
  ingest: ['re2-wasm', 'croner'],
  sweeper: ['re2-wasm', 'croner'],
};

/** The shell commands that copy a function's PACKAGES_BESIDE into the folder of its bundle (`root`: the project's, ending in /). */
export const packagesBesideCommands = (name: string, root: string, outDir: string): string[] =>
  (PACKAGES_BESIDE[name] ?? []).map(
    (p) => `mkdir -p "${outDir}/node_modules" && cp -R "${root}node_modules/${p}" "${outDir}/node_modules/"`,
  );

/** What NodejsFunction asks esbuild for, given BUNDLING: for the bench and the tests, which build the bundles themselves (`name`: the function's, for its LAZY_MODULES). */
export function esbuildOptions(entry: string, outfile: string, name?: string): BuildOptions {
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
    external: [...BUNDLING.external],
    // The aliases' paths from the project's root, wherever the build is run from.
    alias: Object.fromEntries(
      Object.entries(BUNDLING.alias).map(([from, to]) => [from, fileURLToPath(new URL(`../${to}`, import.meta.url))]),
    ),
    // NodejsFunction's --sourcemap=external: a .map file that the bundle does not name.
    ...(BUNDLING.sourceMap ? { sourcemap: 'external' as const, sourcesContent: BUNDLING.sourcesContent } : {}),
    ...(hasLazyModules(name) ? { define: { ...LAZY_DEFINE } } : {}),
  };
}
