import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '../../shared/aws/dynamo-table.js';
import { RecordKeys } from '../../shared/aws/event-records.js';
import { moveToEventRecord } from '../../shared/aws/migrate-event-records.js';
import { newId } from '../../shared/ids.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

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
