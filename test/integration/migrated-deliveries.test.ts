import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '../../shared/aws/dynamo-table.js';
import { DynamoDeliveryStore } from '../../shared/aws/dynamo-delivery-store.js';
import { DynamoEventStore } from '../../shared/aws/dynamo-event-store.js';
import { indexPendingMarker } from '../../shared/aws/dynamo-migrations.js';
import { pendingKey, RecordKeys } from '../../shared/aws/event-records.js';
import { moveToEventRecord } from '../../shared/aws/migrate-event-records.js';
import { newId } from '../../shared/ids.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { delivery as aDelivery, event as anEvent } from '../contract/fixtures.js';

/**
 * Deliveries written before event records (`DLV#<appId>` / <deliveryId>), moved into their
 * event's record by the data migration: a notifier test's delivery then had an id of its own
 * (`newId('dlv')`), not derived from its event's; the record gives it one that is.
 */
let herald: TestHerald;
beforeAll(async () => {
  herald = await startTestHerald();
  await herald.createApp('shop');
});
afterAll(() => herald.stop());

describe('a notifier test delivery stored by a version before event records', () => {
  it('is listed dead after the migration, in the delivery log and the dead letters', async () => {
    const table = createTable(herald.config.tableName, { region: 'us-east-1', endpoint: herald.emulators.dynamodb });
    const put = (item: Record<string, unknown>) => table.client.send(new PutCommand({ TableName: table.name, Item: item }));
    const eventId = newId('evt');
    const oldId = newId('dlv');
    const at = new Date().toISOString();
    const event = { pk: 'EVT#shop', sk: eventId, type: 'herald.test', severity: 'info', occurredAt: at, receivedAt: at };
    const delivery = {
      ...{ pk: 'DLV#shop', sk: oldId, appId: 'shop', eventId, notifierId: 'ntf_gone', channel: 'webhook' },
      ...{ recipient: 'https://down.example/hook', status: 'dead', attemptCount: 3, attempts: [], reason: 'gave up', createdAt: at },
    };
    await put(event);
    await put(delivery);
    const ctx = { table, keys: new RecordKeys(table), retentionDays: 30, now: new Date() };
    await moveToEventRecord(ctx, event);
    await moveToEventRecord(ctx, delivery);

    const id = (await herald.call('GET', `/v1/apps/shop/events/${eventId}`, { key: herald.adminKey })).body.deliveries[0].id;
    const dead = await herald.call('GET', '/v1/apps/shop/deliveries?status=dead', { key: herald.adminKey });
    expect(dead.body.deliveries.map((d: any) => d.id)).toEqual([id]);
    const letters = await herald.call('GET', '/v1/dlq/webhook', { key: herald.adminKey });
    expect(letters.body.deliveries.map((d: any) => d.id)).toContain(id);
  });
});

describe('deliveries no queue holds', () => {
  /** The stores on a client that counts the items its queries return (what DynamoDB bills a read for). */
  function storesCounting() {
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint: herald.emulators.dynamodb });
    const read = { items: 0 };
    client.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        read.items += ((out.output as { Items?: unknown[] } | undefined)?.Items ?? []).length;
        return out;
      },
      { step: 'initialize', name: 'countItems' },
    );
    const table = createTable(herald.config.tableName, { region: 'us-east-1', client });
    const keys = new RecordKeys(table);
    return { table, read, events: new DynamoEventStore(table, keys, 30), deliveries: new DynamoDeliveryStore(table, keys, 30) };
  }

  it('are read by the sweep up to those due, not every one held for later (quiet hours)', async () => {
    const { read, events, deliveries } = storesCounting();
    const e = anEvent('shop');
    const held = Array.from({ length: 40 }, (_, i) => aDelivery(e, `https://held${i}.example`));
    const due = aDelivery(e, 'https://due.example');
    await events.save(e, [...held, due], { unchanged: false });
    const later = new Date(Date.now() + 3_600_000);
    await Promise.all(held.map((d) => deliveries.markUnqueued(d, later)));
    await deliveries.markUnqueued(due, new Date(Date.now() - 1000));

    read.items = 0;
    const found = await deliveries.unqueued(new Date(), 10);
    expect(found.map((d) => d.id)).toContain(due.id);
    expect(found.map((d) => d.id)).not.toContain(held[0]?.id);
    expect(read.items).toBeLessThan(10);
  });

  it('are found when their marker was written before markers were indexed by time', async () => {
    const { table, events, deliveries } = storesCounting();
    const e = anEvent('shop');
    const d = aDelivery(e, 'https://old-marker.example');
    await events.save(e, [d], { unchanged: false });
    const old = { ...pendingKey(d.id), appId: 'shop', eventId: e.id, at: new Date(Date.now() - 1000).toISOString() };
    await table.client.send(new PutCommand({ TableName: table.name, Item: old }));
    // The data migration the sweeper runs: the marker indexed.
    await indexPendingMarker({ table, keys: new RecordKeys(table), retentionDays: 30, now: new Date() }, old);
    expect((await deliveries.unqueued(new Date(), 100)).map((x) => x.id)).toContain(d.id);
  });
});
