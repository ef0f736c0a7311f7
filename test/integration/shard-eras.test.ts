import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventStore } from '../../shared/aws/dynamo-event-store.js';
import { createTable } from '../../shared/aws/dynamo-table.js';
import { RecordKeys } from '../../shared/aws/event-records.js';
import { ERAS_CACHE_MS, shardOf, shardsFor } from '../../shared/core/event-shards.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/**
 * An app's event records spread over more partitions from a time on (its shard eras): every
 * function instance must write an event where the others look for it, even one that read
 * the app's eras just before the change and whose clock runs a few seconds ahead.
 */
let herald: TestHerald;
beforeAll(async () => {
  herald = await startTestHerald();
});
afterAll(() => herald.stop());

describe('shard eras', () => {
  it('an instance holding eras read just before a change still stores its events where any other instance finds them', async () => {
    await herald.createApp('eras');
    const table = createTable(herald.config.tableName, { region: 'us-east-1', endpoint: herald.emulators.dynamodb });
    // Another instance, its clock 5 s ahead, reads the app's eras (one partition) just before the change.
    let instanceNow = Date.now() + 5000;
    const keys = new RecordKeys(table, () => instanceNow);
    await keys.of('eras', `evt_${ulid().toLowerCase()}`);
    const patched = await herald.call('PATCH', '/v1/apps/eras', { key: herald.adminKey, body: { limits: { eventsPerMinute: 600_000 } } });
    expect(patched.status).toBe(200);

    // The last moment its cache is used: an event it makes then, not in partition 0 of the new count.
    instanceNow += ERAS_CACHE_MS - 1;
    const count = shardsFor(600_000);
    let id: string;
    do id = `evt_${ulid(instanceNow).toLowerCase()}`;
    while (shardOf(id, count) === 0);
    const events = new DynamoEventStore(table, keys, 30, () => new Date(instanceNow));
    const at = new Date(instanceNow).toISOString();
    await events.save({ id, appId: 'eras', type: 'scale_test', severity: 'info', occurredAt: at, receivedAt: at }, [], {
      unchanged: false,
    });

    // Any instance that reads the eras now (the API, once its own cache is renewed) looks for it there.
    const fresh = new DynamoEventStore(table, new RecordKeys(table), 30);
    expect((await fresh.get('eras', id))?.type).toBe('scale_test');
  });
});
