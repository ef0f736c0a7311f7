import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/api/api.js';
import { apiDeps } from '../../shared/aws/api-wiring.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * DynamoDB throttling a partition past its rate (an app posting faster than its shards were
 * sized for, with many api instances each counting its own quota): a stand-in in front of
 * the emulator answers as DynamoDB does then, and the api says "try again" instead of 500.
 */
let herald: TestHerald;
let receiver: Receiver;
let key: string;
let throttling = false;
let dynamodb: Server;

/** Passes DynamoDB's calls to the emulator, or refuses each with DynamoDB's own throttling answer. */
function throttlingProxy(target: string): Promise<Server> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    if (throttling) {
      req.resume();
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'ProvisionedThroughputExceededException' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'The level of configured provisioned throughput for the table was exceeded.',
        }),
      );
      return;
    }
    const forwarded = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forwarded);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  key = await herald.createApp('busy', {
    notifiers: [{ name: 'hook', channel: 'webhook', target: { url: `${receiver.url}/busy` }, events: ['order.paid'] }],
  });
  herald.startDelivering();
  dynamodb = await throttlingProxy(herald.emulators.dynamodb);
});
afterAll(async () => {
  await new Promise((resolve) => dynamodb.close(resolve));
  await herald.stop();
  await receiver.close();
});

describe('a throttled table', () => {
  it('answers 503 with Retry-After, sends nothing, and takes the same event once it has room', async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${(dynamodb.address() as AddressInfo).port}` });
    const api = createApi(await apiDeps(herald.config, { dynamodb: client }));
    const post = () =>
      api.request('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': 'order-1042' },
        body: JSON.stringify({ type: 'order.paid', title: 'Order 1042 paid 🎉' }),
      });

    throttling = true;
    const refused = await post();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({
      error: { code: 'unavailable', message: expect.stringContaining('try again'), retryAfterSeconds: 1 },
    });

    throttling = false;
    const taken = await post();
    expect(taken.status).toBe(202);
    const { eventId } = (await taken.json()) as { eventId: string };
    await eventually(async () => receiver.requests.some((r) => r.path === '/busy'), 10_000, 'the delivery');
    await new Promise((r) => setTimeout(r, 1500));
    const arrived = receiver.requests.filter((r) => r.path === '/busy').map((r) => JSON.parse(r.body));
    expect(arrived.map((b) => [b.event_id, b.title])).toEqual([[eventId, 'Order 1042 paid 🎉']]);
  });
});
