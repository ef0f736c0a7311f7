import { existsSync, renameSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createTable } from '../../shared/aws/dynamo-table.js';
import { DynamoDataMigrations } from '../../shared/aws/dynamo-migrations.js';
import { RecordKeys } from '../../shared/aws/event-records.js';
import { readConfig } from '../../shared/config.js';
import type { Engine } from './engine/engine.js';
import { provisionTable } from './provision.js';

/** The table earlier versions of local mode kept in dynalite. */
const TABLE_NAME = 'herald';
const GSI_ATTRIBUTES = ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'];

/**
 * A data dir written by an earlier version keeps its store in `dynamodb/` (dynalite's
 * LevelDB). At the first start of this version it is moved into the embedded store:
 * opened with dynalite, brought up to date by the DynamoDB data migrations (old items into
 * event records), read whole, and written into the engine as the embedded adapters key
 * their items; then the folder is renamed `dynamodb.moved-<time>`, never deleted. Until
 * the rename, a start that dies half way does it again from the start (every write sets
 * an item outright).
 */
export async function moveInEarlierData(dataDir: string, engine: Engine): Promise<{ items: number; keptAt: string } | undefined> {
  const from = join(dataDir, 'dynamodb');
  if (!existsSync(from) || !statSync(from).isDirectory()) return undefined;
  const server = dynalite({ path: from, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  let items = 0;
  try {
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await provisionTable(client, TABLE_NAME);
    const table = createTable(TABLE_NAME, { region: 'us-east-1', client });
    await new DynamoDataMigrations(table, new RecordKeys(table), readConfig().retentionDays).run(Infinity);
    let start: Record<string, unknown> | undefined;
    do {
      const page = await table.client.send(new ScanCommand({ TableName: TABLE_NAME, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of page.Items ?? []) {
        const moved = embeddedItem(item);
        if (!moved) continue;
        engine.table.put(moved.pk, moved.sk, moved);
        items++;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    // On the disk before the old folder is renamed.
    await engine.durable();
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const keptAt = `${from}.moved-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(from, keptAt);
  return { items, keptAt };
}

/**
 * An item as the embedded store keys it: an event record in its app's one partition
 * (`EVT#<appId>`, not spread over shards), a delivery no queue holds under `PEND`, the
 * rest as they were; without the GSI attributes, and without the markers of failed and
 * dead deliveries and the migrations' progress, which the embedded store derives or needs not.
 */
export function embeddedItem(item: Record<string, unknown>): ({ pk: string; sk: string } & Record<string, unknown>) | undefined {
  const pk = String(item['pk']);
  const sk = String(item['sk']);
  if (/^(ATTN|DEAD|MIGRATION)#/.test(pk)) return undefined;
  const rest = Object.fromEntries(Object.entries(item).filter(([k]) => !GSI_ATTRIBUTES.includes(k)));
  if (pk.startsWith('EVT#')) return { ...rest, pk: `EVT#${pk.split('#')[1]}`, sk };
  if (pk.startsWith('PEND#')) return { ...rest, pk: 'PEND', sk };
  return { ...rest, pk, sk };
}
