import { randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, SQSBatchResponse, SQSEvent } from 'aws-lambda';

export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;
export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

/** The event API Gateway (HTTP API, payload 2.0) hands the api function for one request. */
export function apiEvent(method: string, path: string, headers: Record<string, string>, body?: unknown): APIGatewayProxyEventV2 {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'bench',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'herald-bench' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body === undefined ? { isBase64Encoded: false } : { body: JSON.stringify(body), isBase64Encoded: false }),
  };
}

/** The answer's status and JSON body. */
export function answerOf(result: APIGatewayProxyResultV2): { status: number; body: any } {
  if (typeof result === 'string') return { status: 200, body: JSON.parse(result) };
  const text = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8').toString() : '';
  return { status: result.statusCode ?? 200, body: text ? JSON.parse(text) : undefined };
}

/** The event Lambda's SQS event source hands a family's function for a batch of received messages. */
export function sqsEvent(messages: Message[], queueArn: string): SQSEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId as string,
      receiptHandle: m.ReceiptHandle as string,
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
        SenderId: 'bench',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'us-east-1',
    })),
  };
}
