import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { LocalRoute } from './http-gateway.js';
import { KeptList, MAX_KEPT } from './kept.js';

const require = createRequire(import.meta.url);

type Mail = Record<string, unknown>;
/** aws-ses-v2-local's store: the emulator keeps what it was sent in this module's memory. */
type SesStore = { emails: Mail[] };

/** The SES emulator's server factory, from the same module instance as the store below. */
export const startSesEmulator = require('aws-ses-v2-local').default as (c: { port: number; host: string }) => Promise<Server>;
const sesStore = (): SesStore => (require('aws-ses-v2-local/dist/store.js') as { getStoreReadonly(): SesStore }).getStoreReadonly();

/**
 * Sent mail that outlives a restart: the emulator keeps mail in memory only, so at start the
 * mail kept in `file` is put back into its store, and after each request it answers, what is
 * new in the store is appended to the file (a store emptied by the viewer's "clear" empties
 * the file). Both keep the latest 10,000.
 */
export function keepSentMail(ses: Server, file: string): void {
  const store = sesStore();
  const kept = new KeptList<Mail>(file);
  store.emails.splice(0, store.emails.length, ...kept.items);
  let seen = store.emails;
  let saved = store.emails.length;
  ses.on('request', (_req: IncomingMessage, res: ServerResponse) =>
    res.on('finish', () => {
      if (store.emails !== seen) {
        // clearStore() replaced the list.
        seen = store.emails;
        kept.reset(seen);
      } else if (seen.length > saved) kept.push(...seen.slice(saved));
      if (seen.length > MAX_KEPT) seen.splice(0, seen.length - MAX_KEPT);
      saved = seen.length;
    }),
  );
}

/**
 * The emulator's mail viewer under the API's port, at /_local/mail/ (its page, and the
 * calls it makes, passed to the emulator): one address that a restart does not move. The
 * page calls `/store`, `/clear-store` and `/get-emlContent` from the root; served here,
 * those become relative to /_local/mail/.
 */
export function mailViewerRoute(sesUrl: string): LocalRoute {
  const page = readFileSync(join(dirname(require.resolve('aws-ses-v2-local/package.json')), 'static', 'index.html'), 'utf8')
    .replace(/(fetch\(\s*[`'"])\/(store|clear-store|get-emlContent)/g, '$1$2')
    .replace(/href="\/store"/g, 'href="store"');
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname === '/_local/mail') {
      res.writeHead(301, { location: '/_local/mail/' });
      res.end();
      return true;
    }
    if (url.pathname === '/_local/mail/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
      return true;
    }
    const call = /^\/_local\/mail\/(store|clear-store|get-emlContent)$/.exec(url.pathname)?.[1];
    if (!call) return false;
    const answer = await fetch(`${sesUrl}/${call}${url.search}`, { method: req.method === 'POST' ? 'POST' : 'GET' });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
    return true;
  };
}
