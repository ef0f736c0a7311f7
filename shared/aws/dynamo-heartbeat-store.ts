import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HeartbeatStore } from '../core/ports.js';
import type { Server } from '../core/types.js';
import { fromItem, queryAll, writtenUnlessConditionFails, type Table } from './dynamo-table.js';
import { serverKey, serversPk } from './item-keys.js';

/*
 * Items:  HB#<appId> / <server>                          a server and its last heartbeat
 *         gsi2: HB_ONLINE / <lastSeenAt>#<appId>#<server>  only while it is online
 */

/** Heartbeats on DynamoDB: one write per heartbeat, a second one only when a server comes back. */
export class DynamoHeartbeatStore implements HeartbeatStore {
  constructor(private readonly table: Table) {}

  async beat(appId: string, server: string, at: Date): Promise<Server | undefined> {
    const now = at.toISOString();
    const out = await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: serverKey(appId, server),
        UpdateExpression:
          'SET appId = :app, #server = :server, lastSeenAt = :now, #state = :online, since = if_not_exists(since, :now), gsi2pk = :hb, gsi2sk = :sk',
        ExpressionAttributeNames: { '#server': 'server', '#state': 'state' },
        ExpressionAttributeValues: {
          ':app': appId,
          ':server': server,
          ':now': now,
          ':online': 'online',
          ':hb': 'HB_ONLINE',
          ':sk': `${now}#${appId}#${server}`,
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const before = out.Attributes ? fromItem<Server>(out.Attributes) : undefined;
    if (before?.state === 'offline') {
      // Back: it is online since now.
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: serverKey(appId, server),
          UpdateExpression: 'SET since = :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
    }
    return before;
  }

  async silentSince(before: Date, limit: number): Promise<Server[]> {
    const out = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.name,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :hb AND gsi2sk < :before',
        ExpressionAttributeValues: { ':hb': 'HB_ONLINE', ':before': before.toISOString() },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((i) => fromItem<Server>(i));
  }

  async markOffline(server: Server, at: Date): Promise<boolean> {
    return writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: serverKey(server.appId, server.server),
          UpdateExpression: 'SET #state = :offline, since = :at REMOVE gsi2pk, gsi2sk',
          ConditionExpression: '#state = :online AND lastSeenAt = :seen',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':offline': 'offline', ':online': 'online', ':at': at.toISOString(), ':seen': server.lastSeenAt },
        }),
      ),
    );
  }

  async forget(server: Server): Promise<boolean> {
    return writtenUnlessConditionFails(
      this.table.client.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: serverKey(server.appId, server.server),
          ConditionExpression: 'lastSeenAt = :seen',
          ExpressionAttributeValues: { ':seen': server.lastSeenAt },
        }),
      ),
    );
  }

  async list(appId: string): Promise<Server[]> {
    const items = await queryAll(this.table, { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': serversPk(appId) } });
    return items.map((i) => fromItem<Server>(i));
  }
}
