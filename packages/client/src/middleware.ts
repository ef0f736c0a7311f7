import type { Herald } from './herald.js';

/**
 * Error middleware for Express and Koa. Both hand the error to `herald.notifyError`, which
 * returns at once (the report is sent in the background), and never throw: the response is
 * neither delayed nor changed. By default only server errors are reported (a status of 500 or
 * more, or none): a 404 or a refused form is not a bug.
 */

export interface MiddlewareOptions<Req> {
  /** Whether to report this error (default: its `status` or `statusCode` is 500 or more, or absent). */
  shouldReport?: (error: unknown, request: Req) => boolean;
  /** Extra context for the report (a user id, a tenant...), redacted like the rest. */
  custom?: (error: unknown, request: Req) => Record<string, unknown> | undefined;
}

/** The status an error asks for (http-errors, Koa's ctx.throw, Express's convention), if any. */
export function statusOf(error: unknown): number | undefined {
  const e = error as { status?: unknown; statusCode?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  return status;
}

export const isServerError = (error: unknown): boolean => (statusOf(error) ?? 500) >= 500;

/** What Express's request has that a report uses. */
export interface ExpressRequest {
  method: string;
  originalUrl?: string;
  url: string;
  headers: Record<string, unknown>;
  route?: { path?: unknown };
}
type Next = (error?: unknown) => void;

/**
 * `app.use(heraldExpress(herald))`, after your routes (Express calls error middleware in
 * order, so place it last, before your own error handler if you have one). Reports the error
 * and calls `next(err)`, so that Express (or your handler) answers as before.
 */
export function heraldExpress(herald: Herald, options: MiddlewareOptions<ExpressRequest> = {}) {
  return function heraldErrorMiddleware(error: unknown, req: ExpressRequest, _res: unknown, next: Next): void {
    report(herald, options, error, req, () => ({
      url: req.originalUrl ?? req.url,
      method: req.method,
      route: typeof req.route?.path === 'string' ? req.route.path : undefined,
      headers: req.headers,
    }));
    next(error);
  };
}

/** What Koa's context has that a report uses. */
export interface KoaContext {
  method: string;
  url: string;
  headers: Record<string, unknown>;
  app: { on(event: 'error', listener: (error: unknown, ctx?: KoaContext) => void): unknown };
}

/**
 * `app.use(heraldKoa(herald))`, in any position: errors thrown by the middleware after it
 * are reported as they pass through (and thrown on, for Koa to answer as before), and errors
 * Koa itself handles (those thrown before it, or by an error handler that emits them with
 * `ctx.app.emit('error', err, ctx)`) are reported from its first request on. Each error once.
 */
export function heraldKoa(herald: Herald, options: MiddlewareOptions<KoaContext> = {}) {
  const reported = new WeakSet<object>();
  const listening = new WeakSet<object>();
  const reportOnce = (error: unknown, ctx: KoaContext) => {
    if (typeof error === 'object' && error !== null) {
      if (reported.has(error)) return;
      reported.add(error);
    }
    report(herald, options, error, ctx, () => ({ url: ctx.url, method: ctx.method, headers: ctx.headers }));
  };
  return async function heraldErrorMiddleware(ctx: KoaContext, next: () => Promise<unknown>): Promise<void> {
    if (!listening.has(ctx.app)) {
      listening.add(ctx.app);
      ctx.app.on('error', (error, errorCtx) => errorCtx && reportOnce(error, errorCtx));
    }
    try {
      await next();
    } catch (error) {
      reportOnce(error, ctx);
      throw error;
    }
  };
}

function report<Req>(
  herald: Herald,
  options: MiddlewareOptions<Req>,
  error: unknown,
  request: Req,
  http: () => Record<string, unknown> & { url: string; method: string },
): void {
  try {
    if (!(options.shouldReport ?? isServerError)(error, request)) return;
    const custom = options.custom?.(error, request);
    herald.notifyError(error, { http: { ...http(), status: statusOf(error) ?? 500 }, ...(custom ? { custom } : {}) });
  } catch {
    // A failing shouldReport or custom must not turn into a second error in the app's response.
  }
}
