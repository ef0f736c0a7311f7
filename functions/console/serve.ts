import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { ConsoleAsset } from '../../console/build.js';

/**
 * Nothing but this origin: no inline script, no eval, no inline style attribute, no frame.
 * The API is called on the same origin, so no CORS either.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * Serves the console's files under /console/ (API Gateway's payload 2.0, in the console
 * function on AWS and in local mode's gateway): `/console` goes to `/console/`, a name
 * with a content hash is cached for good, everything else is revalidated.
 */
export function serveConsole(assets: ReadonlyMap<string, ConsoleAsset>) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
    const path = event.rawPath;
    const method = event.requestContext.http.method;
    if (method !== 'GET' && method !== 'HEAD') return answer(405, 'text/plain', 'Method not allowed', { allow: 'GET, HEAD' });
    if (path === '/console') return { statusCode: 308, headers: { location: '/console/', ...SECURITY_HEADERS }, body: '' };
    const name = path.slice('/console/'.length) || 'index.html';
    const asset = assets.get(name);
    if (!asset) return answer(404, 'text/plain; charset=utf-8', `No console file ${name}`);
    return {
      statusCode: 200,
      headers: {
        'content-type': asset.type,
        'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        // The service worker controls the whole console.
        ...(name === 'sw.js' ? { 'service-worker-allowed': '/console/' } : {}),
        ...SECURITY_HEADERS,
      },
      body: asset.body.toString('base64'),
      isBase64Encoded: true,
    };
  };
}

const answer = (status: number, type: string, body: string, headers: Record<string, string> = {}): APIGatewayProxyResultV2 => ({
  statusCode: status,
  headers: { 'content-type': type, ...headers, ...SECURITY_HEADERS },
  body,
});
