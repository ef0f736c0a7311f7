import { buildConsole } from '../../console/build.js';
import { serveConsole } from '../../functions/console/serve.js';
import type { ApiHandler } from './http-gateway.js';

/** The console, built by esbuild at start and served by the console function's code, at /console as on AWS. */
export async function consoleRoute(): Promise<{ prefix: string; handler: ApiHandler }> {
  return { prefix: '/console', handler: serveConsole(await buildConsole()) as ApiHandler };
}
