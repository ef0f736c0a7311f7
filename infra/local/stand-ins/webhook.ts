import type { StandIn } from './stand-in.js';

/** Headers about the connection, not the message: left out of the outbox. */
const TRANSPORT_HEADERS = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'accept-encoding']);

/**
 * A generic webhook receiver: any POST or PUT below /_local/webhook/ is accepted (200 `ok`)
 * and kept as it arrived, headers included, so that a user sees the Standard Webhooks
 * headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) and their own custom
 * headers beside the JSON body.
 */
export const webhookStandIn: StandIn = {
  provider: 'webhook',
  handle(req) {
    if (req.method !== 'POST' && req.method !== 'PUT') return { status: 405, text: 'POST or PUT a webhook here' };
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name, value]) => value !== undefined && !TRANSPORT_HEADERS.has(name)),
    );
    const raw = req.raw.toString('utf8');
    let body: unknown = raw;
    if (String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        // kept as the text that arrived
      }
    }
    return { status: 200, text: 'ok', delivered: { method: req.method, path: req.path, headers, body } };
  },
};
