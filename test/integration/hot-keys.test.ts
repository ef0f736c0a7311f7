import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/api/api.js';
import { apiDeps } from '../../shared/aws/api-wiring.js';
import { channelFunction } from '../../shared/channel-function.js';
import { sender as webhook } from '../../shared/channels/webhook/webhook/sender.js';
import { createTable } from '../../shared/aws/dynamo-table.js';
import { RecordKeys } from '../../shared/aws/event-records.js';
import { WRITES_PER_SHARD } from '../../shared/core/event-shards.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

/**
 * No hot key at 10,000 events/s for one app: the partition keys the adapters actually
 * write, recorded by a middleware on their DynamoDB client while events with two webhook
 * deliveries are ingested and delivered, scaled to 10,000 events a second.
 */
const EVENTS = 1000;
const RATE = 10_000;
let herald: TestHerald;
let receivers: Receiver[];
const writesPerKey = new Map<string, number>();
const writesPerItem = new Map<string, number>();

/** A key attribute as the document client has it (a string) or as DynamoDB does ({S}). */
const keyValue = (v: unknown) => (typeof v === 'string' ? v : String((v as { S?: string } | undefined)?.S));

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
function recording(endpoint: string): DynamoDBClient {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String((context as { commandName?: string }).commandName).replace('Command', '');
      if (WRITES.has(command)) {
        const input = args.input as {
          Key?: Record<string, unknown>;
          Item?: Record<string, unknown>;
          RequestItems?: Record<
            string,
            { PutRequest?: { Item: Record<string, unknown> }; DeleteRequest?: { Key: Record<string, unknown> } }[]
          >;
        };
        const keys = input.RequestItems
          ? Object.values(input.RequestItems)
              .flat()
              .map((r) => r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {})
          : [input.Key ?? input.Item ?? {}];
        for (const k of keys) {
          const pk = keyValue(k['pk']);
          writesPerKey.set(pk, (writesPerKey.get(pk) ?? 0) + 1);
          const item = `${pk} ${keyValue(k['sk'])}`;
          writesPerItem.set(item, (writesPerItem.get(item) ?? 0) + 1);
        }
      }
      return next(args);
    },
    { step: 'initialize' },
  );
  return client;
}

beforeAll(async () => {
  // Two destinations, as two teams' webhooks are.
  receivers = [await startReceiver(), await startReceiver()];
  herald = await startTestHerald();
});
afterAll(async () => {
  await herald.stop();
  for (const r of receivers) await r.close();
});

describe('10,000 events a second for one app', () => {
  it('write no partition key more than a few hundred times a second', async () => {
    // An app allowed that rate: its records are spread from the start.
    const key = await herald.createApp('busy', {
      limits: { eventsPerMinute: RATE * 60 },
      notifiers: receivers.map((r, i) => ({
        name: `hook ${i}`,
        channel: 'webhook',
        target: { url: `${r.url}/ticks` },
        events: ['tick'],
      })),
    });
    const dynamodb = recording(herald.emulators.dynamodb);
    const api = createApi(await apiDeps(herald.config, { dynamodb }));
    const deliver = channelFunction('webhook', [webhook], herald.config, {}, { dynamodb });
    writesPerKey.clear();
    writesPerItem.clear();

    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < EVENTS) {
          const i = next++;
          const res = await api.request('/v1/events', {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'tick', data: { i } }),
          });
          expect(res.status).toBe(202);
        }
      }),
    );
    // Until every delivery arrived: a message may come back later (its deliveries set aside
    // while their destination was busy), so receiving each once is not enough.
    const until = Date.now() + 180_000;
    const arrived = () => receivers.reduce((n, r) => n + r.requests.length, 0);
    while (arrived() < 2 * EVENTS && Date.now() < until) {
      const out = await herald.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: herald.queues.webhook.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      const messages = out.Messages ?? [];
      const event = {
        Records: messages.map((m) => ({ messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body, attributes: {} })),
      };
      await deliver(event as unknown as SQSEvent);
    }
    for (const r of receivers) expect(r.requests).toHaveLength(EVENTS);

    // The burst: 10,000 events posted within one second, each writing what an event of
    // this run wrote (its record's key from the adapters' own key function, which must be
    // the key the run wrote; every other key as often as in the run, scaled to the rate).
    const recordKeys = new RecordKeys(createTable(herald.config.tableName, { endpoint: herald.emulators.dynamodb, region: 'us-east-1' }));
    const perEvent = [...writesPerItem].filter(([item]) => item.startsWith('EVT#'));
    expect(perEvent).toHaveLength(EVENTS);
    for (const [item] of perEvent.slice(0, 50)) {
      const [pk, eventId] = item.split(' ') as [string, string];
      expect((await recordKeys.of('busy', eventId)).pk).toBe(pk);
    }
    const burst = new Map<string, number>();
    const second = Date.now();
    for (let i = 0; i < RATE; i++) {
      const eventId = `evt_${ulid(second + Math.floor((i * 1000) / RATE)).toLowerCase()}`;
      const { pk } = await recordKeys.of('busy', eventId);
      burst.set(pk, (burst.get(pk) ?? 0) + (perEvent[i % perEvent.length] as [string, number])[1]);
    }
    for (const [pk, writes] of writesPerKey) if (!pk.startsWith('EVT#')) burst.set(pk, Math.round((writes / EVENTS) * RATE));
    const hottest = [...burst].sort((a, b) => b[1] - a[1]).slice(0, 3);
    const hottestItem = Math.max(...writesPerItem.values());
    console.log(
      `writes in one second of ${RATE} events (2 webhook deliveries each): hottest keys ${hottest.map(([k, n]) => `${k} ${n}`).join(', ')}; ${burst.size} keys; an item at most ${hottestItem} writes in all`,
    );
    // Nothing is written more than a few hundred times a second on one key, nor more than a few times on one item.
    expect(hottest[0]![1]).toBeLessThanOrEqual(2 * WRITES_PER_SHARD);
    expect(hottestItem).toBeLessThanOrEqual(3);
  }, 240_000);

  it("write a storm of one error's repeats to its throttle's counter a few times, not once each", async () => {
    const key = await herald.createApp('stormy', {
      limits: { eventsPerMinute: RATE * 60 },
      notifiers: [{ name: 'on call', channel: 'webhook', target: { url: `${receivers[0]!.url}/storm` }, events: ['exception'] }],
    });
    const dynamodb = recording(herald.emulators.dynamodb);
    const api = createApi(await apiDeps(herald.config, { dynamodb }));
    writesPerKey.clear();
    const STORM = 300;
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next++ < STORM) {
          const res = await api.request('/v1/events', {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'exception', severity: 'critical', title: 'TypeError: cart is undefined' }),
          });
          expect(res.status).toBe(202);
        }
      }),
    );
    const counters = [...writesPerKey].filter(([pk]) => pk.startsWith('CNT#'));
    console.log(
      `a storm of ${STORM} repeats: writes to each throttle's counter (the app's default notifier's, and ours): ${counters.map(([, n]) => n).join(', ')}`,
    );
    // The throttle (5 a minute) decides on counts 1 and 6; past 6 each process knows. Before
    // that, up to 8 requests at once each try (a conditional write failed costs a write too).
    expect(counters).toHaveLength(2);
    for (const [, writes] of counters) expect(writes).toBeLessThanOrEqual(6 + 3 * 8);
    // Each notifier told twice: of the first, and (the "bad behavior" one) at the 6th.
    const told = await herald.call('GET', '/v1/apps/stormy/deliveries?status=queued&type=exception&limit=100', { key: herald.adminKey });
    expect(told.body.deliveries).toHaveLength(4);
  });
});
