import type { Emulators } from './emulators.js';
import type { LocalRoute } from './http-gateway.js';

/**
 * `GET /_local/outbox/email` and `GET /_local/outbox/sms`: what local mode sent, as JSON.
 * These routes exist only in local mode, beside the api function.
 */
export function outboxRoutes(emulators: Emulators): LocalRoute {
  return async (req, res) => {
    if (req.method !== 'GET' || !req.url?.startsWith('/_local/outbox/')) return false;
    const path = new URL(req.url, 'http://local').pathname;
    let body: unknown;
    if (path === '/_local/outbox/email') {
      const store = (await (await fetch(`${emulators.ses}/store`)).json()) as { emails: unknown[] };
      body = { emails: store.emails };
    } else if (path === '/_local/outbox/sms') {
      body = { messages: emulators.sms.messages };
    } else {
      return false;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return true;
  };
}
