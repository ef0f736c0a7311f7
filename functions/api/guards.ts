import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import { ForbiddenError, HeraldError, ValidationError } from '../../shared/errors.js';
import { checkJsonShape, parseForShape } from '../../shared/schemas/json-shape.js';
import type { Principal } from '../../shared/services/auth.js';
import type { ApiDeps } from '../../shared/services/deps.js';
import { MAX_EVENT_BYTES } from '../../shared/core/inbound/limits.js';
import { logger } from '../../shared/telemetry.js';
import { INGEST_ROUTES } from './ingest-scope.js';

export type ApiEnv = { Variables: { principal: Principal } };

export const MAX_BODY_BYTES = MAX_EVENT_BYTES;
/** A batch of events (POST /v1/events/batch) may be larger: 100 events, each at most MAX_BODY_BYTES. */
export const MAX_BATCH_BODY_BYTES = 1024 * 1024;
export const BATCH_PATH = '/v1/events/batch';

const hasNoBody = (method: string) => method === 'GET' || method === 'HEAD' || method === 'DELETE';

/** hono's bodyLimit: it stops reading a body past the limit, Content-Length or not (a chunked one too). */
const limitTo = (limit: number) =>
  bodyLimit({
    maxSize: limit,
    onError: () => {
      throw tooLarge(limit);
    },
  });
const batchLimit = limitTo(MAX_BATCH_BODY_BYTES);
const singleLimit = limitTo(MAX_BODY_BYTES);

/**
 * A debug line per request (method, path, status, time): off at the default level, where a
 * request costs no log line (API Gateway's access log has them); on AWS each line carries
 * the invocation's request id (observability()).
 */
export const requestLog: MiddlewareHandler = async (c, next) => {
  const started = performance.now();
  await next();
  logger.debug('request', {
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    latencyMs: Math.round(performance.now() - started),
  });
};

/**
 * 413 before anything else (auth included): the body is at most 64 KiB (1 MiB for a batch of
 * events, and for a tool's payload on an inbound source: a group of alerts), and no more of it is read, on AWS and in local mode (where Node's request is served
 * as it comes).
 */
export const bodySizeGuard: MiddlewareHandler = async (c, next) => {
  if (hasNoBody(c.req.method)) return next();
  const large = c.req.path === BATCH_PATH || c.req.path.startsWith('/v1/inbound/');
  // A declared length is judged as bodyLimit judges it, without asking for the body as a
  // stream: in local mode that made @hono/node-server build a web Request and a stream around
  // Node's request (a tenth of an event's CPU), where the text is otherwise read from it directly.
  const length = c.req.header('content-length');
  if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
    const limit = large ? MAX_BATCH_BODY_BYTES : MAX_BODY_BYTES;
    if (parseInt(length || '0', 10) > limit) throw tooLarge(limit);
    return next();
  }
  return (large ? batchLimit : singleLimit)(c, next);
};

const tooLarge = (limit: number) => new HeraldError(413, 'payload_too_large', `The body is larger than ${limit / 1024} KiB`);

/**
 * 415 for a body that is not JSON, on the routes mounted with it (the /v1 JSON API; inbound
 * endpoints that take their senders' own content types are mounted without it). A request
 * without a body needs no Content-Type: whether the route needs one is jsonShapeGuard's.
 */
export const jsonContentGuard: MiddlewareHandler = async (c, next) => {
  if (hasNoBody(c.req.method)) return next();
  const body = await c.req.text();
  if (body.length > 0 && !/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw new HeraldError(415, 'unsupported_media_type', 'Send the body as JSON: Content-Type: application/json');
  }
  return next();
};

/** The route that will answer, as openapi.json names it (`POST /v1/apps/{appId}/notifiers`). */
const routeOf = (c: Context): string => `${c.req.method} ${routePath(c, -1).replace(/:([^/{}]+)/g, '{$1}')}`;

/**
 * A JSON body of a sane shape (depth, reserved keys, control characters, numbers that
 * JavaScript would change), and present where the route needs one (`needsBody`, from the
 * routes' declarations): 400 naming `(body)` otherwise. Malformed JSON is the validator's
 * to answer.
 */
export function jsonShapeGuard(needsBody: (route: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    if (hasNoBody(c.req.method)) return next();
    const text = await c.req.text();
    if (!text) {
      if (!needsBody(routeOf(c))) return next();
      throw new ValidationError('The body is missing: send a JSON object with Content-Type: application/json', [
        { path: '(body)', message: 'is required' },
      ]);
    }
    const body = parseForShape(text);
    if (body === undefined) return next();
    // A batch's events are each checked on their own (the route refuses only the one at fault).
    const issue = checkJsonShape(c.req.path === BATCH_PATH && isBatch(body) ? { ...body, events: [] } : body);
    if (issue) throw new ValidationError('The request is not valid', [issue]);
    return next();
  };
}

const isBatch = (body: unknown): body is { events: unknown[] } =>
  typeof body === 'object' && body !== null && Array.isArray((body as { events?: unknown }).events);

/** The longest id a path may name: every id Herald makes or accepts is shorter, and DynamoDB keys stay well inside their limits. */
export const MAX_PATH_ID = 128;

/**
 * One rule for every path parameter of every route (app, notifier, event, key ids, a DLQ's
 * family...): at most MAX_PATH_ID characters, else 400 naming the parameter, before any
 * lookup. Routes then answer 404 for an id of the right size that names nothing.
 */
export const pathIdGuard: MiddlewareHandler = async (c, next) => {
  const template = routePath(c, -1).split('/');
  const actual = c.req.path.split('/');
  template.forEach((segment, i) => {
    if (!segment.startsWith(':')) return;
    const raw = actual[i] ?? '';
    if (decoded(raw).length > MAX_PATH_ID) {
      throw new ValidationError('The request is not valid', [
        { path: segment.slice(1), message: `must be at most ${MAX_PATH_ID} characters: no ${segment.slice(1)} is longer` },
      ]);
    }
  });
  return next();
};

const decoded = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** What an app's ingest key may do (post, read the catalog, ask what it is); every other /v1 route needs the admin key. */
const INGEST_ONLY = new Set(INGEST_ROUTES);

/**
 * The admin key may call every route; an ingest key only INGEST_ROUTES (and, for events
 * and heartbeats, only for its own app: see appForIngest). Checked before the body is
 * validated, so that a key not allowed here learns nothing from the answer. Default deny:
 * a new route is admin-only until listed.
 */
export const scopeGuard: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const { principal } = c.var;
  if (principal.kind !== 'admin' && !INGEST_ONLY.has(`${c.req.method} ${c.req.path}`) && !ownContacts(principal.appId, c.req.path))
    throw new ForbiddenError('This route needs the admin key');
  return next();
};

/** An app's key manages the app's own contacts and contact groups (the people its notifiers reach). */
const ownContacts = (appId: string, path: string): boolean =>
  path.startsWith(`/v1/apps/${appId}/`) && /^\/v1\/apps\/[^/]+\/(contacts|contact-groups)(\/[^/]+)?$/.test(path);

/** Every /v1 route needs a key; who it is goes into the context. */
export function authenticate(deps: Pick<ApiDeps, 'auth'>): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    c.set('principal', await deps.auth.authenticate(c.req.header('authorization')));
    return next();
  };
}
