import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { apiGatewayEvent } from '../../infra/local/http-gateway.js';

export type { ApiHandler } from '../../infra/local/http-gateway.js';
export type { SqsHandler as QueueHandler } from '../../infra/local/sqs-event-source.js';

/** The event API Gateway hands the api function for one request (as local mode's gateway builds it). */
export function apiEvent(method: string, path: string, headers: Record<string, string>, body?: unknown): APIGatewayProxyEventV2 {
  return apiGatewayEvent({
    method,
    url: path,
    headers: { 'user-agent': 'herald-bench', ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)),
  });
}

/** The answer's status and JSON body. */
export function answerOf(result: APIGatewayProxyResultV2): { status: number; body: any } {
  if (typeof result === 'string') return { status: 200, body: JSON.parse(result) };
  const text = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8').toString() : '';
  return { status: result.statusCode ?? 200, body: text ? JSON.parse(text) : undefined };
}
