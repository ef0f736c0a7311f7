import { randomUUID } from 'node:crypto';
import { isString, jsonOf, refuse, windowLimit, type StandIn } from './stand-in.js';

/** Discord webhooks: POST /api/webhooks/{id}/{token}; 204; 5 requests per 2 s per webhook. */
export function discordStandIn(): StandIn {
  const discordLimit = windowLimit(5, 2000);
  return {
    provider: 'discord',
    handle(req) {
      const m = /^\/api\/webhooks\/(\d{1,20})\/([\w-]{1,100})\/?$/.exec(req.path);
      if (req.method !== 'POST' || !m) refuse(404, { message: '404: Not Found', code: 0 });
      const wait = discordLimit(m?.[1] as string);
      if (wait)
        refuse(
          429,
          { message: 'You are being rate limited.', retry_after: wait / 1000, global: false },
          { 'retry-after': String(Math.ceil(wait / 1000)) },
        );
      const body = jsonOf(req, () => refuse(400, { message: 'Cannot send an empty message', code: 50006 }));
      const invalid = (field: string, message: string) =>
        refuse(400, { code: 50035, message: 'Invalid Form Body', errors: { [field]: { _errors: [{ message }] } } });
      if (body['content'] !== undefined && !isString(body['content'], 2000, 0)) invalid('content', 'Must be 2000 or fewer in length.');
      const embeds: any[] = body['embeds'] ?? [];
      if (!Array.isArray(embeds) || embeds.length > 10) invalid('embeds', 'Must be 10 or fewer in length.');
      let total = 0;
      embeds.forEach((e, i) => {
        if (e.title !== undefined && !isString(e.title, 256)) invalid(`embeds.${i}.title`, 'Must be 256 or fewer in length.');
        if (e.description !== undefined && !isString(e.description, 4096))
          invalid(`embeds.${i}.description`, 'Must be 4096 or fewer in length.');
        if (e.color !== undefined && !(Number.isInteger(e.color) && e.color >= 0 && e.color <= 0xffffff))
          invalid(`embeds.${i}.color`, 'Not a valid color.');
        total += String(e.title ?? '').length + String(e.description ?? '').length;
      });
      if (total > 6000) invalid('embeds', 'Embed size exceeds maximum size of 6000');
      if (!body['content'] && embeds.length === 0) refuse(400, { message: 'Cannot send an empty message', code: 50006 });
      return { status: 204, delivered: { webhookId: m?.[1], threadId: req.query.get('thread_id') ?? undefined, ...body } };
    },
  };
}

/** Teams Workflows: POST …/workflows/{id}/triggers/manual/paths/invoke?…&sig=…; an Adaptive Card message; 202. */
export const teamsStandIn: StandIn = {
  provider: 'teams',
  handle(req) {
    if (req.method !== 'POST' || !/^\/workflows\/[\w-]+\/triggers\/manual\/paths\/invoke$/.test(req.path))
      refuse(404, { error: { code: 'WorkflowNotFound', message: 'The workflow could not be found.' } });
    if (!req.query.get('sig'))
      refuse(401, {
        error: { code: 'DirectApiAuthorizationRequired', message: 'The request must be authenticated only by Shared Access scheme.' },
      });
    if (req.raw.length > 28 * 1024) refuse(413, { error: { code: 'MessageTooLarge', message: 'The message is larger than 28 KB.' } });
    const body = jsonOf(req, () =>
      refuse(400, { error: { code: 'InvalidRequestContent', message: 'The request content is not valid JSON.' } }),
    );
    const card = body['attachments']?.[0];
    if (
      body['type'] !== 'message' ||
      card?.contentType !== 'application/vnd.microsoft.card.adaptive' ||
      card?.content?.type !== 'AdaptiveCard'
    )
      refuse(400, { error: { code: 'InvalidTemplate', message: 'The attachment is not an Adaptive Card message.' } });
    if (!Array.isArray(card.content.body) || card.content.body.some((b: any) => typeof b?.type !== 'string'))
      refuse(400, { error: { code: 'InvalidTemplate', message: 'The Adaptive Card body is not valid.' } });
    return { status: 202, delivered: { card: card.content } };
  },
};

/** Google Chat webhooks: POST /v1/spaces/{space}/messages?key=&token=; text or cardsV2; 60 a minute per space. */
export function googleChatStandIn(): StandIn {
  const googleChatLimit = windowLimit(60, 60_000);
  return {
    provider: 'google_chat',
    handle(req) {
      const m = /^\/v1\/spaces\/([\w-]+)\/messages$/.exec(req.path);
      const error = (code: number, status: string, message: string) => refuse(code, { error: { code, message, status } });
      if (req.method !== 'POST' || !m) error(404, 'NOT_FOUND', 'Requested entity was not found.');
      if (!req.query.get('key') || !req.query.get('token'))
        error(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
      if (googleChatLimit(m?.[1] as string)) error(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).');
      const body = jsonOf(req, () => error(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'));
      if (body['text'] !== undefined && !isString(body['text'], 4096)) error(400, 'INVALID_ARGUMENT', 'Message text is too long.');
      const cards: any[] = body['cardsV2'] ?? [];
      if (!Array.isArray(cards) || cards.some((c) => !isString(c?.cardId, 255) || typeof c?.card !== 'object'))
        error(400, 'INVALID_ARGUMENT', 'Invalid value at cardsV2: every card needs a cardId and a card.');
      if (!body['text'] && cards.length === 0) error(400, 'INVALID_ARGUMENT', 'Message cannot be empty.');
      const name = `spaces/${m?.[1]}/messages/${randomUUID()}`;
      return {
        status: 200,
        json: { name, text: body['text'] ?? '' },
        delivered: { space: m?.[1], threadKey: req.query.get('threadKey') ?? undefined, ...body },
      };
    },
  };
}

/** Mattermost incoming webhooks: POST /hooks/{26-character id}; text or attachments; answers "ok". */
export const mattermostStandIn: StandIn = {
  provider: 'mattermost',
  handle(req) {
    const error = (id: string, message: string) => refuse(400, { id, message, detailed_error: '', status_code: 400 });
    const m = /^\/hooks\/([a-z0-9]{26})$/.exec(req.path);
    if (req.method !== 'POST' || !m) error('web.incoming_webhook.invalid.app_error', 'Invalid webhook.');
    const body = jsonOf(req, () => error('web.incoming_webhook.parse.app_error', 'Unable to parse incoming data.'));
    if (!isString(body['text'], Infinity) && !Array.isArray(body['attachments']))
      error('web.incoming_webhook.text.app_error', 'No text specified.');
    if (isString(body['text'], Infinity) && body['text'].length > 16_383)
      error('web.incoming_webhook.text.length.app_error', 'Text is too long.');
    for (const field of ['channel', 'username', 'icon_url', 'icon_emoji'])
      if (body[field] !== undefined && !isString(body[field], 256)) error('web.incoming_webhook.parse.app_error', `Invalid ${field}.`);
    return { status: 200, text: 'ok', delivered: { hookId: m?.[1], ...body } };
  },
};

/** Rocket.Chat incoming webhooks: POST /hooks/{id}/{token}; answers `{success}`. */
export const rocketchatStandIn: StandIn = {
  provider: 'rocketchat',
  handle(req) {
    const m = /^\/hooks\/([A-Za-z0-9]+)\/([A-Za-z0-9]+)$/.exec(req.path);
    if (req.method !== 'POST' || !m) refuse(404, { success: false, error: 'Invalid integration id or token provided.' });
    const body = jsonOf(req, () => refuse(400, { success: false, error: 'Invalid JSON.' }));
    if (!isString(body['text'], Infinity) && !Array.isArray(body['attachments']))
      refuse(400, { success: false, error: 'text or attachments required' });
    if (body['channel'] !== undefined && !/^[#@][\w.-]+$/.test(String(body['channel'])))
      refuse(400, { success: false, error: 'invalid-channel' });
    return { status: 200, json: { success: true }, delivered: { integrationId: m?.[1], ...body } };
  },
};

const TELEGRAM_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'span',
  'blockquote',
]);

/** Telegram Bot API: POST /bot{token}/sendMessage; HTML parse mode checked tag by tag; 4096 characters once parsed. */
export const telegramStandIn: StandIn = {
  provider: 'telegram',
  handle(req, settings) {
    const fail = (code: number, description: string) => refuse(code, { ok: false, error_code: code, description });
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
    if (!m) fail(404, 'Not Found');
    if (m?.[1] !== settings.telegram?.botToken) fail(401, 'Unauthorized');
    if (m?.[2] !== 'sendMessage') fail(404, 'Not Found: method not found');
    const body = jsonOf(req, () => fail(400, 'Bad Request: message text is empty'));
    if (body['chat_id'] === undefined || body['chat_id'] === '') fail(400, 'Bad Request: chat_id is empty');
    if (!/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/.test(String(body['chat_id']))) fail(400, 'Bad Request: chat not found');
    if (!isString(body['text'], Infinity)) fail(400, 'Bad Request: message text is empty');
    let visible = String(body['text']);
    if (body['parse_mode'] === 'HTML') visible = parseTelegramHtml(visible, fail);
    if (visible.length > 4096) fail(400, 'Bad Request: message is too long');
    return {
      status: 200,
      json: {
        ok: true,
        result: { message_id: Date.now() % 1_000_000, chat: { id: body['chat_id'] }, date: Math.floor(Date.now() / 1000), text: visible },
      },
      delivered: {
        chatId: String(body['chat_id']),
        text: visible,
        html: body['text'],
        threadId: body['message_thread_id'],
        silent: !!body['disable_notification'],
      },
    };
  },
};

/** Telegram's HTML: only its tags, `&` only as an entity; returns the text without markup. */
function parseTelegramHtml(html: string, fail: (code: number, description: string) => never): string {
  const byteOffset = (i: number) => Buffer.byteLength(html.slice(0, i));
  for (const match of html.matchAll(/<\/?([a-zA-Z-]*)[^>]*>|<|&(?!(lt|gt|amp|quot|#\d+|#x[\da-f]+);)/gi)) {
    if (match[0] === '<' || match[0] === '&')
      fail(400, `Bad Request: can't parse entities: Unexpected character at byte offset ${byteOffset(match.index)}`);
    if (!TELEGRAM_TAGS.has((match[1] ?? '').toLowerCase()))
      fail(400, `Bad Request: can't parse entities: Unsupported start tag "${match[1]}" at byte offset ${byteOffset(match.index)}`);
  }
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Fresh stand-ins (their rate limits start empty). */
export const chatStandIns = (): StandIn[] => [
  discordStandIn(),
  teamsStandIn,
  googleChatStandIn(),
  mattermostStandIn,
  rocketchatStandIn,
  telegramStandIn,
];
