import { refuseText, tokenBucket, type StandIn, type StandInRequest } from './stand-in.js';

/** Block Kit's limits, as Slack enforces them on incoming webhooks. */
const MAX_BLOCKS = 50;
const MAX_TEXT = 40_000;
const BLOCK_TYPES = new Set([
  'section',
  'context',
  'header',
  'divider',
  'actions',
  'image',
  'rich_text',
  'markdown',
  'video',
  'file',
  'input',
]);

/**
 * Slack incoming webhooks: POST /services/T…/B…/<token>, a JSON body (or a form with
 * `payload=`) with `text` and/or `blocks` (or attachments). Slack answers `ok`, or a status
 * with its error code as plain text: 400 invalid_payload, no_text, invalid_blocks,
 * too_many_attachments; 404 no_service for a URL that is not a webhook; 429 rate_limited
 * with Retry-After past one message a second per webhook with bursts of 3 (Slack: "1 per
 * second, short bursts >1 allowed"), held strictly so that a test sees any sender that
 * does not pace itself. `text` past 40,000 characters is cut, as Slack does.
 */
export function slackStandIn(): StandIn {
  const slackLimit = tokenBucket(1, 3);
  return {
    provider: 'slack',
    handle(req) {
      const fail = (status: number, code: string, headers?: Record<string, string>) => refuseText(status, code, headers);
      const m = /^\/services\/(T[A-Z0-9]+)\/(B[A-Z0-9]+)\/([A-Za-z0-9]+)$/.exec(req.path);
      if (!m) return fail(404, 'no_service');
      if (req.method !== 'POST') return fail(405, 'invalid_method');
      const wait = slackLimit(`${m[1]}/${m[2]}`);
      if (wait) fail(429, 'rate_limited', { 'retry-after': String(Math.ceil(wait / 1000)) });
      const body = payloadOf(req) ?? fail(400, 'invalid_payload');
      const blocks: unknown = body['blocks'];
      const attachments: unknown = body['attachments'];
      if (blocks !== undefined && !validBlocks(blocks)) fail(400, 'invalid_blocks');
      if (attachments !== undefined && !Array.isArray(attachments)) fail(400, 'invalid_attachments');
      if (Array.isArray(attachments) && attachments.length > 100) fail(400, 'too_many_attachments');
      const text = typeof body['text'] === 'string' ? body['text'] : undefined;
      if (!text && !(Array.isArray(blocks) && blocks.length) && !(Array.isArray(attachments) && attachments.length)) fail(400, 'no_text');
      return {
        status: 200,
        text: 'ok',
        // The token (the URL's last part) is the secret: the outbox names the webhook by its ids.
        delivered: {
          team: m[1],
          webhook: m[2],
          ...body,
          ...(text !== undefined ? { text: text.slice(0, MAX_TEXT) } : {}),
          ...(text && text.length > MAX_TEXT ? { truncated: true } : {}),
        },
      };
    },
  };
}

/** The message: a JSON body, or Slack's older form encoding `payload=<json>`. */
function payloadOf(req: StandInRequest): Record<string, unknown> | undefined {
  const type = String(req.headers['content-type'] ?? '');
  let raw = req.raw.toString('utf8');
  if (type.startsWith('application/x-www-form-urlencoded')) raw = new URLSearchParams(raw).get('payload') ?? '';
  else if (!type.startsWith('application/json')) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A text object: mrkdwn or plain_text, 1 to `max` characters. */
const textObject = (t: any, max: number, plainOnly = false): boolean =>
  t &&
  (t.type === 'plain_text' || (!plainOnly && t.type === 'mrkdwn')) &&
  typeof t.text === 'string' &&
  t.text.length >= 1 &&
  t.text.length <= max;

/** The checks Slack makes on the blocks Herald and most senders use (section, context, header). */
function validBlocks(blocks: unknown): boolean {
  if (!Array.isArray(blocks) || blocks.length > MAX_BLOCKS) return false;
  return blocks.every((b: any) => {
    if (!b || typeof b !== 'object' || !BLOCK_TYPES.has(b.type)) return false;
    if (b.block_id !== undefined && !(typeof b.block_id === 'string' && b.block_id.length <= 255)) return false;
    if (b.type === 'header') return textObject(b.text, 150, true);
    if (b.type === 'section') {
      const fields: unknown[] | undefined = b.fields;
      if (b.text === undefined && fields === undefined) return false;
      if (b.text !== undefined && !textObject(b.text, 3000)) return false;
      return fields === undefined || (Array.isArray(fields) && fields.length <= 10 && fields.every((f) => textObject(f, 2000)));
    }
    if (b.type === 'context')
      return (
        Array.isArray(b.elements) &&
        b.elements.length >= 1 &&
        b.elements.length <= 10 &&
        b.elements.every((e: any) => e?.type === 'image' || textObject(e, 3000))
      );
    return true;
  });
}
