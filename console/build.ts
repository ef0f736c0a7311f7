import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** One file of the console, as Herald serves it. */
export interface ConsoleAsset {
  body: Buffer;
  type: string;
  /** Its name holds its content's hash: cached for good. */
  immutable: boolean;
}

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console, built by esbuild like the functions: one JavaScript bundle and one
 * stylesheet with content hashes in their names, the service worker (at a fixed name, so
 * that its scope and updates work), and index.html pointing at them. No CDN: Herald serves
 * every file, under a CSP that allows nothing but its own origin.
 */
export async function buildConsole(): Promise<Map<string, ConsoleAsset>> {
  const common = { bundle: true, minify: true, write: false, target: 'es2022', legalComments: 'none', logLevel: 'silent' } as const;
  const [app, worker] = await Promise.all([
    build({
      ...common,
      entryPoints: { app: join(here, 'main.ts'), styles: join(here, 'styles.css') },
      entryNames: '[name]-[hash]',
      format: 'esm',
      outdir: '/console',
    }),
    build({ ...common, entryPoints: [join(here, 'sw.ts')], format: 'iife', outfile: '/console/sw.js' }),
  ]);
  const assets = new Map<string, ConsoleAsset>();
  for (const file of [...app.outputFiles, ...worker.outputFiles]) {
    const name = file.path.slice('/console/'.length);
    const type = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    assets.set(name, { body: Buffer.from(file.contents), type, immutable: name !== 'sw.js' });
  }
  const named = (prefix: string, ext: string) => [...assets.keys()].find((n) => n.startsWith(prefix) && n.endsWith(ext)) as string;
  assets.set('index.html', {
    body: Buffer.from(indexHtml(named('app-', '.js'), named('styles-', '.css'))),
    type: 'text/html; charset=utf-8',
    immutable: false,
  });
  assets.set('icon.svg', { body: Buffer.from(ICON), type: 'image/svg+xml', immutable: false });
  return assets;
}

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#4f46e5"/><path d="M9 22V10h3v4.6h8V10h3v12h-3v-4.8h-8V22z" fill="#fff"/></svg>';

function indexHtml(script: string, styles: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Herald console</title>
<link rel="icon" href="icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${styles}">
<script type="module" src="${script}"></script>
</head>
<body>
<div id="root"><noscript>The Herald console needs JavaScript.</noscript></div>
</body>
</html>
`;
}

/** Writes the console into a folder: the console function's assets, at `cdk synth`. */
export async function writeConsole(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [name, asset] of await buildConsole()) writeFileSync(join(dir, name), asset.body);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node --import tsx console/build.ts <folder>');
  await writeConsole(dir);
}
