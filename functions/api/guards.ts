import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, HeraldError, ValidationError } from '../../shared/errors.js';
import { checkJsonShape } from '../../shared/schemas/json-shape.js';
import type { Principal } from '../../shared/services/auth.js';
import type { ApiDeps } from '../../shared/services/deps.js';

export type ApiEnv = { Variables: { principal: Principal } };

export const MAX_BODY_BYTES = 64 * 1024;

/** 413 before anything else (auth included): the body is at most 64 KiB. 415 for a body that is not JSON. */
export const bodyGuard: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'DELETE') return next();
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const body = await c.req.text();
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw tooLarge();
  const type = c.req.header('content-type');
  if (body.length > 0 && !/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type ?? '')) {
    throw new HeraldError(415, 'unsupported_media_type', 'Send the body as JSON: Content-Type: application/json');
  }
  return next();
};

const tooLarge = () => new HeraldError(413, 'payload_too_large', `The body is larger than ${MAX_BODY_BYTES / 1024} KiB`);

/** A JSON body of a sane shape (depth, reserved keys, control characters); malformed JSON is the validator's to answer. */
export const jsonShapeGuard: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'DELETE') return next();
  const text = await c.req.text();
  if (!text) return next();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return next();
  }
  const issue = checkJsonShape(body);
  if (issue) throw new ValidationError('The request is not valid', [issue]);
  return next();
};

/** What an app's ingest key may do (post, read the catalog, ask what it is); every other /v1 route needs the admin key. */
const INGEST_ROUTES = new Set(['POST /v1/events', 'POST /v1/heartbeats', 'GET /v1/event-types', 'GET /v1/whoami']);

/**
 * The admin key may call every route; an ingest key only INGEST_ROUTES (and, for events
 * and heartbeats, only for its own app: see appForIngest). Checked before the body is
 * validated, so that a key not allowed here learns nothing from the answer. Default deny:
 * a new route is admin-only until listed.
 */
export const scopeGuard: MiddlewareHandler<ApiEnv> = async (c, next) => {
  if (c.var.principal.kind !== 'admin' && !INGEST_ROUTES.has(`${c.req.method} ${c.req.path}`))
    throw new ForbiddenError('This route needs the admin key');
  return next();
};

/** Every /v1 route needs a key; who it is goes into the context. */
export function authenticate(deps: Pick<ApiDeps, 'auth'>): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    c.set('principal', await deps.auth.authenticate(c.req.header('authorization')));
    return next();
  };
}
