import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { GroupMember, GroupNotice } from '../core/grouping.js';
import type { GroupJoin, GroupOpen, GroupStore, StoredGroup } from '../core/ports.js';
import { unlessConditionFails, writtenUnlessConditionFails, type Table } from './dynamo-table.js';
import { groupItemKey } from './item-keys.js';

/*
 * Items:  GRP#<notifierId> / <hash of the by values>   (item-keys.ts)
 *   appId, notifierId, by        the group
 *   seq, seqStartedAt            the notification being gathered, and since when
 *   items, count                 its first members, and how many
 *   f_<member key>               a member failing now (a recovery removes it)
 *   t_<type>                     how many of that type came for the notification being gathered
 *   flushAt                      when the notification is due (absent: none scheduled)
 *   lastSentAt, sent             the last notification taken, as sent (a retry sends it again)
 *   expiresAt                    TTL: a repeat's time and a week past the last change
 *
 * Every write is one UpdateItem conditional on `seq`: a member joins the notification it
 * read, and a notification is taken once, however many functions race for it, and only as
 * it was read (its count unchanged): a member that joins meanwhile is in it, or in the next.
 */

const FIRING = 'f_';
const TYPE_COUNT = 't_';

/** The group as stored: its failing members gathered from their attributes. */
export function storedGroupOf(item: Record<string, unknown>, key: string): StoredGroup {
  const firing: Record<string, GroupMember> = {};
  const types: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(FIRING)) firing[name.slice(FIRING.length)] = value as GroupMember;
    else if (name.startsWith(TYPE_COUNT)) types[name.slice(TYPE_COUNT.length)] = Number(value);
  }
  return {
    key,
    appId: String(item['appId']),
    notifierId: String(item['notifierId']),
    by: (item['by'] as Record<string, string>) ?? {},
    seq: Number(item['seq'] ?? 1),
    ...(item['seqStartedAt'] !== undefined ? { seqStartedAt: Number(item['seqStartedAt']) } : {}),
    items: (item['items'] as GroupMember[] | undefined) ?? [],
    count: Number(item['count'] ?? 0),
    firing,
    types,
    ...(typeof item['flushAt'] === 'string' ? { flushAt: item['flushAt'] } : {}),
    ...(typeof item['lastSentAt'] === 'string' ? { lastSentAt: item['lastSentAt'] } : {}),
    ...(item['sent'] ? { sent: item['sent'] as GroupNotice } : {}),
  };
}

export class DynamoGroupStore implements GroupStore {
  constructor(private readonly table: Table) {}

  async get(key: string): Promise<StoredGroup | undefined> {
    const out = await this.table.client.send(new GetCommand({ TableName: this.table.name, Key: groupItemKey(key), ConsistentRead: true }));
    return out.Item ? storedGroupOf(out.Item, key) : undefined;
  }

  async join(join: GroupJoin): Promise<StoredGroup | undefined> {
    const set = [
      'appId = :app',
      'notifierId = :notifier',
      '#by = if_not_exists(#by, :by)',
      'seq = if_not_exists(seq, :seq)',
      'seqStartedAt = if_not_exists(seqStartedAt, :started)',
      'flushAt = if_not_exists(flushAt, :flushAt)',
      'expiresAt = :ttl',
    ];
    const values: Record<string, unknown> = {
      ':app': join.appId,
      ':notifier': join.notifierId,
      ':by': join.by,
      ':seq': join.seq,
      ':started': join.startedAt,
      ':flushAt': join.flushAt,
      ':ttl': join.expiresAt,
      ':one': 1,
    };
    const names: Record<string, string> = { '#by': 'by', '#count': 'count', '#type': `${TYPE_COUNT}${join.countAs}` };
    if (join.list) {
      set.push('#items = list_append(if_not_exists(#items, :none), :item)');
      Object.assign(values, { ':none': [], ':item': [join.member] });
      names['#items'] = 'items';
    }
    let remove = '';
    if (join.memberKey) {
      names['#member'] = `${FIRING}${join.memberKey}`;
      if (join.member.status === 'firing') {
        set.push('#member = :member');
        values[':member'] = join.member;
      } else remove = ' REMOVE #member';
    }
    const out = await unlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: groupItemKey(join.key),
          UpdateExpression: `SET ${set.join(', ')} ADD #count :one, #type :one${remove}`,
          ConditionExpression: 'attribute_not_exists(seq) OR seq = :seq',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return out?.Attributes ? storedGroupOf(out.Attributes, join.key) : undefined;
  }

  async open(open: GroupOpen): Promise<boolean> {
    return writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: groupItemKey(open.key),
          UpdateExpression:
            'SET appId = :app, notifierId = :notifier, #by = if_not_exists(#by, :by), seq = if_not_exists(seq, :seq), ' +
            'seqStartedAt = :started, flushAt = :flushAt, expiresAt = :ttl, #count = if_not_exists(#count, :zero)',
          // No window open: the first event of one opens it (and is sent at once), once.
          ConditionExpression: '(attribute_not_exists(seq) OR seq = :seq) AND attribute_not_exists(flushAt)',
          ExpressionAttributeNames: { '#by': 'by', '#count': 'count' },
          ExpressionAttributeValues: {
            ':app': open.appId,
            ':notifier': open.notifierId,
            ':by': open.by,
            ':seq': open.seq,
            ':started': open.startedAt,
            ':flushAt': open.flushAt,
            ':ttl': open.expiresAt,
            ':zero': 0,
          },
        }),
      ),
    );
  }

  async hasten(key: string, seq: number, flushAt: string): Promise<boolean> {
    return writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: groupItemKey(key),
          UpdateExpression: 'SET flushAt = :at',
          ConditionExpression: 'seq = :seq AND (attribute_not_exists(flushAt) OR flushAt > :at)',
          ExpressionAttributeValues: { ':seq': seq, ':at': flushAt },
        }),
      ),
    );
  }

  async take(key: string, notice: GroupNotice, now: Date, repeatAt: Date | undefined, expiresAt: number): Promise<boolean> {
    const { seq } = notice;
    // Members still failing: the next notification (a repeat) is due at repeatAt, gathering from now.
    const types = Object.keys(notice.types ?? {});
    const typeNames = Object.fromEntries(types.map((t, i) => [`#t${i}`, `${TYPE_COUNT}${t}`]));
    const removeTypes = Object.keys(typeNames)
      .map((n) => `, ${n}`)
      .join('');
    const next = repeatAt
      ? `, flushAt = :repeatAt, seqStartedAt = :nowMs REMOVE #items${removeTypes}`
      : ` REMOVE #items, flushAt, seqStartedAt${removeTypes}`;
    return writtenUnlessConditionFails(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: groupItemKey(key),
          UpdateExpression: `SET seq = :next, lastSentAt = :now, sent = :notice, #count = :zero, expiresAt = :ttl${next}`,
          // Nobody joined since the notice was read: none of them left out of it.
          ConditionExpression: 'seq = :seq AND (#count = :count OR (attribute_not_exists(#count) AND :count = :zero))',
          ExpressionAttributeNames: { '#items': 'items', '#count': 'count', ...typeNames },
          ExpressionAttributeValues: {
            ':seq': seq,
            ':count': notice.count,
            ':next': seq + 1,
            ':now': now.toISOString(),
            ':notice': notice,
            ':zero': 0,
            ':ttl': expiresAt,
            ...(repeatAt ? { ':repeatAt': repeatAt.toISOString(), ':nowMs': now.getTime() } : {}),
          },
        }),
      ),
    );
  }
}
