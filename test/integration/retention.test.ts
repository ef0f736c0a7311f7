import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../functions/api/api.js';
import { DynamoDeliveryStore } from '../../shared/aws/dynamo-delivery-store.js';
import { DynamoEventStore } from '../../shared/aws/dynamo-event-store.js';
import { createTable } from '../../shared/aws/dynamo-table.js';
import { RecordKeys } from '../../shared/aws/event-records.js';
import { sweep } from '../../shared/services/sweeper.js';
import { deliveryIdFor, newId } from '../../shared/ids.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * Events and their deliveries are kept `retentionDays` (30 here), counted from the latest
 * attempt; DynamoDB's TTL deletes them late, so Herald itself treats an expired record as
 * gone: what a user reads through the API some days later, on a clock moved ahead.
 */
const DAY = 86_400_000;
let herald: TestHerald;
let receiver: Receiver;
let key: string;

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.respond((req) => ({ status: req.path === '/down' ? 500 : 200 }));
  herald = await startTestHerald({ retrySchedule: [1] });
  key = await herald.createApp('shop', {
    notifiers: ['/up', '/down'].map((path) => ({
      name: path,
      channel: 'webhook',
      target: { url: `${receiver.url}${path}` },
      events: [`check.${path.slice(1)}`],
    })),
  });
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

/** Herald's ports as they are `days` from now (the stores' clocks moved; the table as it is, TTL not run). */
function depsIn(days: number) {
  const later = () => new Date(Date.now() + days * DAY);
  const table = createTable(herald.config.tableName, { region: 'us-east-1', endpoint: herald.emulators.dynamodb });
  const records = new RecordKeys(table);
  return {
    ...herald.deps,
    events: new DynamoEventStore(table, records, herald.config.retentionDays, later),
    deliveries: new DynamoDeliveryStore(table, records, herald.config.retentionDays, later),
    clock: later,
  };
}

/** The API as it answers `days` from now. */
function apiIn(days: number) {
  const api = createApi(depsIn(days));
  return async (method: string, path: string) => {
    const res = await api.request(path, { method, headers: { authorization: `Bearer ${herald.adminKey}` } });
    return { status: res.status, body: (await res.json()) as any };
  };
}

describe('retention', () => {
  it('keeps an event and its deliveries 30 days, then answers as if they were deleted', async () => {
    const sent = (await herald.call('POST', '/v1/events', { key, body: { type: 'check.up' } })).body.eventId;
    const dead = (await herald.call('POST', '/v1/events', { key, body: { type: 'check.down' } })).body.eventId;
    await eventually(async () => {
      const { body } = await herald.call('GET', `/v1/apps/shop/events/${dead}`, { key: herald.adminKey });
      return body.deliveries[0]?.status === 'dead';
    }, 15_000);

    const day29 = apiIn(29);
    expect((await day29('GET', `/v1/apps/shop/events/${sent}`)).body.deliveries[0].status).toBe('sent');
    expect((await day29('GET', '/v1/apps/shop/deliveries?status=dead')).body.deliveries.map((d: any) => d.eventId)).toEqual([dead]);
    expect((await day29('GET', '/v1/dlq')).body.channels.webhook.messages).toBe(1);

    const day31 = apiIn(31);
    const gone = await day31('GET', `/v1/apps/shop/events/${sent}`);
    expect(gone.status).toBe(404);
    expect((await day31('GET', '/v1/apps/shop/events')).body.events).toEqual([]);
    expect((await day31('GET', '/v1/apps/shop/deliveries')).body.deliveries).toEqual([]);
    expect((await day31('GET', '/v1/apps/shop/deliveries?status=dead')).body.deliveries).toEqual([]);
    // A dead letter whose record is gone is neither counted nor sent again.
    expect((await day31('GET', '/v1/dlq')).body.channels.webhook.messages).toBe(0);
    expect((await day31('POST', '/v1/dlq/webhook/redrive')).body.moved).toBe(0);
    await new Promise((r) => setTimeout(r, 2000));
    expect(receiver.requests.filter((r) => r.path === '/down')).toHaveLength(2);
  });

  it("lets the sweeper forget a delivery no queue holds once its record's retention has ended", async () => {
    const eventId = (await herald.call('POST', '/v1/events', { key, body: { type: 'check.up' } })).body.eventId;
    const [delivery] = await eventually(async () => {
      const { body } = await herald.call('GET', `/v1/apps/shop/events/${eventId}`, { key: herald.adminKey });
      return body.deliveries[0]?.status === 'sent' && body.deliveries;
    }, 15_000);
    // As an enqueue that failed leaves it (the sweeper's work list).
    await herald.deps.deliveries.markUnqueued(delivery, new Date());
    const pending = async (days: number) =>
      (await depsIn(days).deliveries.unqueued(new Date(Date.now() + days * DAY), 100)).map((d) => d.id);
    expect(await pending(1)).toContain(delivery.id); // sent meanwhile: the sweeper forgets it once it looks

    await herald.deps.deliveries.markUnqueued(delivery, new Date());
    const options = { graceSeconds: 60, maxPerRun: 100, disableAfterDays: 5, migrationSeconds: 0 };
    expect((await sweep(depsIn(31), options)).found).toBe(0);
    // Forgotten, not read at every sweep: not even a clock back in its retention finds it again.
    expect(await pending(1)).not.toContain(delivery.id);
  });

  it('ends the retention of a delivery whose outcome was recorded before its event was stored', async () => {
    // Refused (not queued) before its ingest wrote the record: the outcome writes the delivery whole.
    const eventId = newId('evt');
    const delivery = {
      id: deliveryIdFor(eventId)('ntf_x', 'https://x.example'),
      eventId,
      appId: 'shop',
      notifierId: 'ntf_x',
      channel: 'webhook' as const,
      recipient: 'https://x.example',
    };
    await herald.deps.deliveries.record([{ delivery, outcome: { status: 'failed', reason: 'not queued: too big' } }]);
    const listed = async (days: number) =>
      (await apiIn(days)('GET', `/v1/apps/shop/deliveries?eventId=${eventId}`)).body.deliveries.map((d: any) => d.id);
    expect(await listed(29)).toEqual([delivery.id]);
    expect(await listed(31)).toEqual([]);
  });
});
