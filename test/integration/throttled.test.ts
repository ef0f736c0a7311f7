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
/** Which calls DynamoDB throttles: all, those naming a text (a partition's key), or none. */
let throttling: boolean | string = false;
/** Calls naming this text take 3 s: a request still at work. */
let slowCalls: string | false = false;
let dynamodb: Server;

/** Passes DynamoDB's calls to the emulator, or refuses each with DynamoDB's own throttling answer. */
function throttlingProxy(target: string): Promise<Server> {
  const to = new URL(target);
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (throttling === true || (typeof throttling === 'string' && body.toString('utf8').includes(throttling))) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'ProvisionedThroughputExceededException' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'The level of configured provisioned throughput for the table was exceeded.',
        }),
      );
      return;
    }
    if (slowCalls && body.toString('utf8').includes(slowCalls)) {
      await new Promise((r) => setTimeout(r, 3000));
    }
    const forwarded = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.end(body);
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

const arrivedAt = (path: string) => receiver.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body));

describe('a throttled table', () => {
  let api: ReturnType<typeof createApi>;
  const post = (idempotencyKey: string, title: string, data?: object) =>
    api.request('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify({ type: 'order.paid', title, ...(data ? { data } : {}) }),
    });
  beforeAll(async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${(dynamodb.address() as AddressInfo).port}` });
    api = createApi(await apiDeps(herald.config, { dynamodb: client }));
  });

  it('answers 503 with Retry-After, sends nothing, and takes the same event once it has room', async () => {
    const post1042 = () => post('order-1042', 'Order 1042 paid 🎉');

    throttling = true;
    const refused = await post1042();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({
      error: { code: 'unavailable', message: expect.stringContaining('try again'), retryAfterSeconds: 1 },
    });

    throttling = false;
    const taken = await post1042();
    expect(taken.status).toBe(202);
    const { eventId } = (await taken.json()) as { eventId: string };
    await eventually(async () => receiver.requests.some((r) => r.path === '/busy'), 10_000, 'the delivery');
    await new Promise((r) => setTimeout(r, 1500));
    const arrived = arrivedAt('/busy').filter((b) => b.title.startsWith('Order 1042'));
    expect(arrived.map((b) => [b.event_id, b.title])).toEqual([[eventId, 'Order 1042 paid 🎉']]);
  });

  it('a retry right after a 503 that came once its key was claimed is taken at once, not refused as still at work: one event, sent once', async () => {
    // The key's claim goes through; the check's state, read before anything is queued, is in a partition past its rate.
    const failing = { check: 'payments', status: 'ERROR' };
    throttling = '"STATE#busy';
    const refused = await post('order-1043', 'Payments failing', failing);
    expect(refused.status).toBe(503);
    throttling = false;
    const taken = await post('order-1043', 'Payments failing', failing);
    expect(taken.status).toBe(202);
    const { eventId } = (await taken.json()) as { eventId: string };
    await eventually(async () => arrivedAt('/busy').some((b) => b.title === 'Payments failing'), 10_000, 'the delivery');
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      arrivedAt('/busy')
        .filter((b) => b.title === 'Payments failing')
        .map((b) => b.event_id),
    ).toEqual([eventId]);
  });

  it('a repeat while the first request is still at work is a 409 with Retry-After; once it is done, the repeat gets its answer', async () => {
    // Held at its check's state, before anything is queued or stored.
    const failing = { check: 'refunds', status: 'ERROR' };
    slowCalls = '"STATE#busy';
    const first = post('order-1044', 'Refunds failing', failing);
    await new Promise((r) => setTimeout(r, 500));
    const repeat = await post('order-1044', 'Refunds failing', failing);
    expect(repeat.status).toBe(409);
    expect(repeat.headers.get('retry-after')).toBe('2');
    expect(await repeat.json()).toEqual({
      error: { code: 'conflict', message: expect.stringContaining('still being processed'), retryAfterSeconds: 2 },
    });
    slowCalls = false;
    const answered = await first;
    expect(answered.status).toBe(202);
    const { eventId } = (await answered.json()) as { eventId: string };
    const again = await post('order-1044', 'Refunds failing', failing);
    expect(await again.json()).toMatchObject({ eventId, duplicate: true });
  });
});
