import type { components, paths } from './schema.js';

/**
 * The typed core every surface calls Herald through (the console, the `herald` command
 * line, the client library): a path and method of openapi.json in, its declared answer
 * out, typed from the generated schema, so that a route renamed on the server breaks the
 * compiler, not a user. Needs nothing but `fetch` (a browser's, or Node 18's).
 */

export type Method = 'get' | 'post' | 'patch' | 'delete';
type Defined<T> = Exclude<T, undefined>;

/** The paths that have this method. */
export type PathOf<M extends Method> = { [P in keyof paths]: Defined<paths[P][M]> extends never ? never : P }[keyof paths];
type Operation<P extends keyof paths, M extends Method> = Defined<paths[P][M]>;

type ParamsOf<O> = O extends { parameters: infer X } ? X : never;
type PathParams<O> = ParamsOf<O> extends { path: infer X } ? ([X] extends [never] ? unknown : { path: X }) : unknown;
type QueryParams<O> = ParamsOf<O> extends { query?: infer X } ? ([Defined<X>] extends [never] ? unknown : { query?: Defined<X> }) : unknown;
type HeaderParams<O> =
  ParamsOf<O> extends { header?: infer X } ? ([Defined<X>] extends [never] ? unknown : { header?: Defined<X> }) : unknown;
type BodyParams<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? { body: B }
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? { body?: B }
    : unknown;

/** What a call takes: its path parameters, query, headers and body, as openapi.json declares them. */
export type CallArgs<P extends keyof paths, M extends Method> = PathParams<Operation<P, M>> &
  QueryParams<Operation<P, M>> &
  HeaderParams<Operation<P, M>> &
  BodyParams<Operation<P, M>> & { signal?: AbortSignal };

type Responses<O> = O extends { responses: infer R } ? R : never;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;
/** The answer of a call: the JSON of its 2xx response (undefined for a 204). */
export type Answer<P extends keyof paths, M extends Method> = {
  [S in keyof Responses<Operation<P, M>>]: S extends 200 | 201 | 202 | 204 ? JsonOf<Responses<Operation<P, M>>[S]> : never;
}[keyof Responses<Operation<P, M>>];

export type ErrorBody = components['schemas']['Error'];

/** An answer Herald gave with an error status: its status, code, message and the fields at fault. */
export class HeraldApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: { path: string; message: string }[];
  readonly retryAfterSeconds?: number;

  constructor(status: number, body: Partial<ErrorBody> | undefined, retryAfterSeconds?: number) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.name = 'HeraldApiError';
    this.status = status;
    this.code = body?.error?.code ?? 'http_error';
    this.details = body?.error?.details ?? [];
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface ApiOptions {
  /** Herald's URL, e.g. http://127.0.0.1:3000; '' for the same origin (the console). */
  url: string;
  /** An API key (`hrd_admin_…` or `hrd_app_…`), or where to read it from at each call. */
  key?: string | (() => string | undefined);
  fetch?: typeof fetch;
  /** Added to every request (a User-Agent, say). */
  headers?: Record<string, string>;
}

/** One HTTP call of the API: the path filled in, the query and body encoded, the answer parsed or thrown. */
export class HeraldApi {
  constructor(private readonly options: ApiOptions) {}

  get<P extends PathOf<'get'>>(path: P, args: CallArgs<P, 'get'>): Promise<Answer<P, 'get'>> {
    return this.call('get', path, args);
  }

  post<P extends PathOf<'post'>>(path: P, args: CallArgs<P, 'post'>): Promise<Answer<P, 'post'>> {
    return this.call('post', path, args);
  }

  patch<P extends PathOf<'patch'>>(path: P, args: CallArgs<P, 'patch'>): Promise<Answer<P, 'patch'>> {
    return this.call('patch', path, args);
  }

  delete<P extends PathOf<'delete'>>(path: P, args: CallArgs<P, 'delete'>): Promise<Answer<P, 'delete'>> {
    return this.call('delete', path, args);
  }

  async call<P extends keyof paths, M extends Method>(method: M, path: P, args: CallArgs<P, M>): Promise<Answer<P, M>> {
    const {
      path: params,
      query,
      header,
      body,
      signal,
    } = args as {
      path?: Record<string, string>;
      query?: Record<string, unknown>;
      header?: Record<string, string>;
      body?: unknown;
      signal?: AbortSignal;
    };
    const key = typeof this.options.key === 'function' ? this.options.key() : this.options.key;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.options.headers,
      ...header,
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    };
    const res = await (this.options.fetch ?? fetch)(`${this.options.url.replace(/\/$/, '')}${fill(String(path), params)}${search(query)}`, {
      method: method.toUpperCase(),
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
    const text = await res.text();
    const parsed: unknown = text ? parseJson(text) : undefined;
    if (!res.ok) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new HeraldApiError(
        res.status,
        parsed as Partial<ErrorBody>,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      );
    }
    return parsed as Answer<P, M>;
  }
}

function fill(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${template}: the path parameter ${name} is missing`);
    return encodeURIComponent(value);
  });
}

function search(query: Record<string, unknown> = {}): string {
  const pairs = Object.entries(query).flatMap(([k, v]) =>
    v === undefined || v === null ? [] : [[k, Array.isArray(v) ? v.join(',') : String(v)] as [string, string]],
  );
  return pairs.length ? `?${new URLSearchParams(pairs).toString()}` : '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: 'not_json', message: text.slice(0, 300) } };
  }
}
