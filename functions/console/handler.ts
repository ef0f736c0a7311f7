import middy from '@middy/core';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConsoleAsset } from '../../console/build.js';
import { observability } from '../../shared/aws/lambda-middlewares.js';
import { serveConsole } from './serve.js';

/**
 * The console function: the console's files (built beside this bundle by console/build.ts at
 * `cdk synth`) behind the HTTP API's /console routes. A function of its own, so that the api
 * function's bundle does not carry them. Read once per cold start.
 */
const dir = fileURLToPath(new URL('./console/', import.meta.url));
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};
const assets = new Map<string, ConsoleAsset>(
  readdirSync(dir).map((name) => [
    name,
    {
      body: readFileSync(`${dir}${name}`),
      type: TYPES[name.split('.').pop() as string] ?? 'application/octet-stream',
      immutable: /-[A-Z0-9]{8}\.(js|css)$/.test(name),
    },
  ]),
);

export const handler = middy(serveConsole(assets)).use(observability());
