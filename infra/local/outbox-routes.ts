import type { Outboxes } from './emulators.js';
import type { LocalRoute } from './http-gateway.js';
import { mailViewerRoute } from './mail.js';
import type { StandIns } from './stand-ins/index.js';

/**
 * `GET /_local/outbox/email`, `/_local/outbox/sms` and `/_local/outbox/<provider>`: what
 * local mode sent, as JSON; the SES mail viewer at `/_local/mail/`; and the providers'
 * stand-ins under `/_local/<provider>/…`. These routes exist only in local mode, beside the
 * api function.
 */
export function outboxRoutes(emulators: Pick<Outboxes, 'ses' | 'sms'>, standIns?: StandIns): LocalRoute {
  const mailViewer = mailViewerRoute(emulators.ses);
  return async (req, res) => {
    if (req.url?.startsWith('/_local/mail')) return mailViewer(req, res);
    if (standIns && req.url?.startsWith('/_local/') && !req.url.startsWith('/_local/outbox/')) return standIns.route(req, res);
    if (req.method !== 'GET' || !req.url?.startsWith('/_local/outbox/')) return false;
    const path = new URL(req.url, 'http://local').pathname;
    let body: unknown;
    if (path === '/_local/outbox/email') {
      const store = (await (await fetch(`${emulators.ses}/store`)).json()) as { emails: unknown[] };
      body = { emails: store.emails };
    } else if (path === '/_local/outbox/sms') {
      body = { messages: emulators.sms.messages };
    } else if (standIns && /^\/_local\/outbox\/[a-z_]+$/.test(path)) {
      body = { messages: standIns.delivered(path.slice('/_local/outbox/'.length)) };
    } else {
      return false;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return true;
  };
}
