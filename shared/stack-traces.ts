import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Stack traces that name Herald's source files and lines in a deployed function, its
 * bundle's source map read only when a stack is first printed (and the map of a module
 * beside it, `lazy/<name>.mjs`: infra/bundling.ts, LAZY_MODULES, when a frame is in it). `--enable-source-maps` would
 * read and parse the map at every cold start (ingest's is 1.4 MB; with Node's scan of the
 * bundle for the map's comment, about a tenth of the import), so the bundles name no map
 * (infra/bundling.ts) and Node starts without the flag. A no-op where no map lies beside
 * the code: local mode and the tests run the TypeScript itself.
 */
export function mapStackTraces(bundleFile: string): void {
  if (!existsSync(`${bundleFile}.map`)) return;
  const bundleUrl = pathToFileURL(bundleFile).href;
  const lazyUrl = new URL('./lazy/', bundleUrl).href;
  /** Each file's map, read at its first frame; null: it could not be read, its frames stay as V8 writes them. */
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (fileUrl: string): SourceMap | null => {
    let map = maps.get(fileUrl);
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(fileUrl)}.map`, 'utf8')));
      } catch {
        map = null; // printing an error must never fail for its stack
      }
      maps.set(fileUrl, map);
    }
    return map;
  };
  /** Where a frame of the bundle (or of a module beside it) is in the source, and the name the source gives what is called there. */
  const origin = (frame: NodeJS.CallSite) => {
    const file = frame.getFileName();
    if (!file || (file !== bundleUrl && !(file.startsWith(lazyUrl) && file.endsWith('.mjs')))) return undefined;
    const map = mapOf(file);
    if (!map) return undefined;
    const entry = map.findEntry((frame.getLineNumber() ?? 1) - 1, (frame.getColumnNumber() ?? 1) - 1);
    // Node's entries carry the name the source gives the code there (its types leave it out).
    return 'originalSource' in entry ? (entry as typeof entry & { name?: string }) : undefined;
  };
  Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) => {
    const origins = frames.map(origin);
    const lines = frames.map((frame, i) => {
      const at = origins[i];
      if (!at) return `    at ${frame.toString()}`;
      // A minified function's name is its caller's: the name the source gives the callee at the call.
      const name = origins[i + 1]?.name ?? frame.getFunctionName();
      // The map names sources relative to itself (beside its file); as Node does, name them by their path where the bundle was built.
      const where = `${fileURLToPath(new URL(at.originalSource, frame.getFileName() as string))}:${at.originalLine + 1}:${at.originalColumn + 1}`;
      return name ? `    at ${name} (${where})` : `    at ${where}`;
    });
    return [headerOf(error), ...lines].join('\n');
  };
}

/** The first line of a stack, as V8 writes it: `Name: message`. */
function headerOf(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return 'Error';
  }
}
