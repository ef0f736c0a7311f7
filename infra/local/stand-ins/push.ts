import { randomBytes, randomUUID } from 'node:crypto';
import { bearer, formOf, inMemory, isString, jsonOf, refuse, type StandIn, type StateOf } from './stand-in.js';
import { webPushStandIn } from './web-push.js';

/** ntfy: POST / with a JSON message (topic, title, message, priority, tags); a token, when sent, is `Bearer tk_…`. */
export const ntfyStandIn: StandIn = {
  provider: 'ntfy',
  handle(req) {
    const fail = (http: number, code: number, error: string) => refuse(http, { code, http, error, link: 'https://ntfy.sh/docs/publish/' });
    if (req.method !== 'POST' && req.method !== 'PUT') fail(405, 40501, 'method not allowed');
    const auth = req.headers['authorization'];
    if (auth !== undefined && !/^Bearer tk_[A-Za-z0-9]{29}$/.test(String(auth))) fail(401, 40101, 'unauthorized');
    if (req.path !== '/') fail(404, 40401, 'page not found');
    const body = jsonOf(req, () => fail(400, 40024, 'invalid request: request body must be message JSON'));
    if (!/^[-_A-Za-z0-9]{1,64}$/.test(String(body['topic'] ?? ''))) fail(400, 40009, 'invalid request: topic invalid');
    if (Buffer.byteLength(String(body['message'] ?? '')) > 4096) fail(413, 41301, 'message too large');
    if (body['priority'] !== undefined && !(Number.isInteger(body['priority']) && body['priority'] >= 1 && body['priority'] <= 5))
      fail(400, 40007, 'invalid request: priority invalid');
    if (body['tags'] !== undefined && !(Array.isArray(body['tags']) && body['tags'].every((t: unknown) => isString(t, 64))))
      fail(400, 40000, 'invalid request');
    const id = randomBytes(6).toString('hex');
    return {
      status: 200,
      json: { id, time: Math.floor(Date.now() / 1000), event: 'message', ...body },
      delivered: { authorized: !!auth, ...body },
    };
  },
};

/** Gotify: POST /message with the app token in X-Gotify-Key (or ?token=); title, message, priority. */
export const gotifyStandIn: StandIn = {
  provider: 'gotify',
  handle(req) {
    const fail = (code: number, error: string, errorDescription: string) => refuse(code, { error, errorCode: code, errorDescription });
    const token = req.headers['x-gotify-key'] ?? req.query.get('token');
    if (!/^A[\w.-]{14}$/.test(String(token ?? '')))
      fail(401, 'Unauthorized', 'you need to provide a valid access token or user credentials to access this api');
    if (req.method !== 'POST' || req.path !== '/message') fail(404, 'Not Found', 'page not found');
    const body = jsonOf(req, () => fail(400, 'Bad Request', "Field 'message' is required"));
    if (!isString(body['message'], Infinity)) fail(400, 'Bad Request', "Field 'message' is required");
    if (body['priority'] !== undefined && !Number.isInteger(body['priority']))
      fail(400, 'Bad Request', "Field 'priority' must be an integer");
    const id = Math.floor(Math.random() * 1e6);
    return { status: 200, json: { id, appid: 1, date: new Date().toISOString(), ...body }, delivered: body };
  },
};

/** Pushover: POST /1/messages.json (JSON or form) with the app token, a 30-character user key, and limits per field. */
export const pushoverStandIn: StandIn = {
  provider: 'pushover',
  handle(req, settings) {
    const request = randomUUID();
    const fail = (field: string, error: string) => refuse(400, { [field]: 'invalid', errors: [error], status: 0, request });
    if (req.method !== 'POST' || req.path !== '/1/messages.json') refuse(404, { errors: ['not found'], status: 0, request });
    const body = String(req.headers['content-type']).startsWith('application/json')
      ? jsonOf(req, () => fail('message', 'message cannot be blank'))
      : Object.fromEntries(formOf(req, () => fail('message', 'message cannot be blank')));
    if (body['token'] !== settings.pushover?.appToken) fail('token', 'application token is invalid, see https://pushover.net/api');
    if (!/^[A-Za-z0-9]{30}$/.test(String(body['user'] ?? '')))
      fail('user', 'user identifier is not a valid user, group, or subscribed user key');
    if (!isString(body['message'], Infinity)) fail('message', 'message cannot be blank');
    if (String(body['message']).length > 1024) fail('message', 'message is too long (1024 characters maximum)');
    if (body['title'] !== undefined && String(body['title']).length > 250) fail('title', 'title is too long (250 characters maximum)');
    const priority = Number(body['priority'] ?? 0);
    if (!(Number.isInteger(priority) && priority >= -2 && priority <= 2)) fail('priority', 'priority is invalid');
    if (priority === 2) {
      if (!(Number(body['retry']) >= 30)) fail('retry', 'retry is invalid or missing, must be at least 30 seconds');
      if (!(Number(body['expire']) > 0 && Number(body['expire']) <= 10800))
        fail('expire', 'expire is invalid or missing, must be at most 10800 seconds');
    }
    const receipt = priority === 2 ? randomBytes(15).toString('hex').slice(0, 30) : undefined;
    const { token: _token, ...delivered } = body;
    return { status: 200, json: { status: 1, request, ...(receipt ? { receipt } : {}) }, delivered };
  },
};

/** OneSignal: POST /notifications with `Authorization: Key …`, the app id, English contents, aliases or segments. */
export const onesignalStandIn: StandIn = {
  provider: 'onesignal',
  handle(req, settings) {
    const fail = (status: number, error: string) => refuse(status, { errors: [error] });
    if (req.method !== 'POST' || req.path !== '/notifications') fail(404, 'Not Found');
    if (bearer(req, 'Key') !== settings.onesignal?.apiKey)
      fail(403, "Access denied.  Please include an 'Authorization: Key <YOUR-REST-API-KEY>' header with a valid App API key.");
    const body = jsonOf(req, () => fail(400, 'Invalid JSON'));
    if (body['app_id'] !== settings.onesignal?.appId)
      fail(400, `app_id not found. You may be missing a Content-Type: application/json header.`);
    if (!isString(body['contents']?.en, Infinity)) fail(400, 'Message Notifications must have English language content');
    const ids = body['include_aliases']?.external_id;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 2000 || !ids.every((i: unknown) => isString(i, 128)))
      fail(400, 'include_aliases.external_id must list 1 to 2000 external ids');
    return {
      status: 200,
      json: { id: randomUUID(), external_id: null },
      delivered: { externalIds: ids, headings: body['headings'], contents: body['contents'], url: body['url'], priority: body['priority'] },
    };
  },
};

/** Pusher Beams: POST /publish_api/v1/instances/{instance}/publishes/users with the secret key as a Bearer token. */
export const pusherBeamsStandIn: StandIn = {
  provider: 'pusher_beams',
  handle(req, settings) {
    const fail = (status: number, error: string, description: string) => refuse(status, { error, description });
    const m = /^\/publish_api\/v1\/instances\/([\w-]+)\/publishes\/users$/.exec(req.path);
    if (req.method !== 'POST' || !m) fail(404, 'Not Found', 'Not found');
    if (m?.[1] !== settings.pusherBeams?.instanceId) fail(404, 'Instance not found', 'Could not find the instance');
    if (bearer(req) !== settings.pusherBeams?.secretKey) fail(401, 'Unauthorized', 'Invalid secret key');
    const body = jsonOf(req, () => fail(400, 'Bad request', 'Request body is not valid JSON'));
    const users = body['users'];
    if (!Array.isArray(users) || users.length === 0 || users.length > 1000 || !users.every((u: unknown) => isString(u, 164)))
      fail(400, 'Bad request', "'users' must list 1 to 1000 user ids of at most 164 characters");
    if (!body['web'] && !body['fcm'] && !body['apns']) fail(400, 'Bad request', 'the publish needs at least one of web, fcm, apns');
    return { status: 200, json: { publishId: `pubid-${randomUUID()}` }, delivered: body };
  },
};

/** Pushbullet: POST /v2/pushes with the user's token in Access-Token; a note or a link. */
export const pushbulletStandIn: StandIn = {
  provider: 'pushbullet',
  handle(req) {
    const fail = (status: number, code: string, message: string) =>
      refuse(status, { error: { code, type: 'invalid_request', message, cat: '(=^‥^=)' } });
    if (!/^o\.[A-Za-z0-9]{32}$/.test(String(req.headers['access-token'] ?? '')))
      fail(401, 'invalid_access_token', 'Access token is missing or invalid.');
    if (req.method !== 'POST' || req.path !== '/v2/pushes') fail(404, 'not_found', 'Not found.');
    const body = jsonOf(req, () => fail(400, 'invalid_request', 'Invalid JSON body.'));
    if (body['type'] !== 'note' && body['type'] !== 'link') fail(400, 'invalid_param', 'Invalid type: must be note, link or file.');
    if (body['type'] === 'link' && !isString(body['url'], 2048)) fail(400, 'invalid_param', 'A link push needs a url.');
    const iden = randomBytes(11).toString('hex');
    return { status: 200, json: { active: true, iden, created: Date.now() / 1000, ...body }, delivered: body };
  },
};

/** Fresh stand-ins, with the push subscriptions kept in `stateOf`. */
export const pushStandIns = (stateOf: StateOf = inMemory): StandIn[] => [
  ntfyStandIn,
  gotifyStandIn,
  pushoverStandIn,
  onesignalStandIn,
  pusherBeamsStandIn,
  pushbulletStandIn,
  webPushStandIn(stateOf),
];
