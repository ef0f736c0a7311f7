import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { logger } from '../../shared/telemetry.js';

export type ApiHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyResultV2>;
export type LocalRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
/** An app served straight from Node's request (hono's, through @hono/node-server), not as a Lambda event. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Bodies past this are not read in full: the api function refuses anything over 64 KiB anyway. */
const READ_LIMIT = 1024 * 1024;

/**
 * What API Gateway (HTTP API, payload format 2.0) does, for local mode: each request
 * becomes the event Lambda would get, and the function's answer becomes the response.
 * `localRoutes` answer first (the `/_local/...` routes that exist only here); then the
 * functions of `routes` (the console's, as on AWS: `/console` and below), else `handler`.
 */
export async function startHttpGateway(options: {
  port: number;
  host?: string;
  handler: ApiHandler | { listener: NodeListener };
  routes?: { prefix: string; handler: ApiHandler }[];
  localRoutes?: LocalRoute;
}): Promise<Server> {
  const server = createServer(async (req, res) => {
    try {
      if (options.localRoutes && (await options.localRoutes(req, res))) return;
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      const route = options.routes?.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
      const handler = route?.handler ?? options.handler;
      if (typeof handler !== 'function') {
        await handler.listener(req, res);
        return;
      }
      const body = await readBody(req);
      const result = await handler(toEvent(req, body));
      writeResult(res, result);
    } catch (err) {
      logger.error('local gateway: request failed', { error: err as Error });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Internal Server Error' } }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}

export const portOf = (server: Server): number => (server.address() as AddressInfo).port;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= READ_LIMIT) chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function toEvent(req: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // As API Gateway says how the request came (there: https), so that a URL the API builds from it is right.
  headers['x-forwarded-proto'] ??= 'http';
  return apiGatewayEvent({
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers,
    body,
    protocol: `HTTP/${req.httpVersion}`,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
  });
}

/** A request as API Gateway sees it: the path with its query, the headers in lower case. */
export interface GatewayRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  protocol?: string;
  sourceIp?: string;
}

/** The event API Gateway (HTTP API, payload format 2.0) hands the function for one request (the bench builds its own requests with it). */
export function apiGatewayEvent(request: GatewayRequest): APIGatewayProxyEventV2 {
  const url = new URL(request.url, 'http://local');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: request.headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: request.headers['host'] ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method,
        path: url.pathname,
        protocol: request.protocol ?? 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length ? { body: request.body.toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
  };
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(result);
    return;
  }
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined);
}
