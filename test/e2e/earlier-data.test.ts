import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually } from '../support/receiver.js';

/**
 * Data written by main at 82e4cfa (test/fixtures/data-dir-82e4cfa, copied first), read
 * by `npm start` of this version: an all-events notifier stored as `[]`, the default
 * notifier stored unmarked with app_crashed_repeated, and an idempotency record without
 * the answer's newer fields.
 */
const FIXTURE = 'test/fixtures/data-dir-82e4cfa';
const ids = JSON.parse(readFileSync(join(FIXTURE, 'ids.json'), 'utf8')) as { admin: string; key: string; ids: Record<string, string> };
let dataDir: string;
let herald: LocalHerald;

/**
 * The fixture was written on 2026-11-29, and an idempotency key holds for 24 hours: its
 * record's window is moved to now, in the copy's own store (dynalite, as 82e4cfa kept it),
 * as a repeat within the window would find it. Nothing else of the record changes.
 */
async function renewIdempotencyWindow(dir: string): Promise<void> {
  const server = dynalite({ path: join(dir, 'dynamodb'), createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    const client = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await client.send(
      new UpdateItemCommand({
        TableName: 'herald',
        Key: { pk: { S: 'IDEM#shop#crash-1' }, sk: { S: '#IDEM' } },
        UpdateExpression: 'SET expiresAt = :in',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':in': { N: String(Math.floor(Date.now() / 1000) + 3600) } },
      }),
    );
    client.destroy();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'herald-82e4cfa-'));
  cpSync(FIXTURE, dataDir, { recursive: true });
  await renewIdempotencyWindow(dataDir);
  // Its events were posted on 2026-11-29: a retention that keeps them whenever this runs.
  herald = await startLocalHerald(dataDir, { HERALD_RETENTION_DAYS: '3650' });
});
afterAll(async () => {
  await herald?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const notifiers = async () => (await herald.call('GET', '/v1/apps/shop/notifiers', ids.admin)).body.notifiers as any[];
const mailsTo = async (address: string, subject: string) =>
  ((await herald.call('GET', '/_local/outbox/email')).body.emails as any[]).filter(
    (m) => m.destination.to.includes(address) && m.subject.includes(subject),
  );

describe('notifiers stored by the previous version', () => {
  it('read the stored empty events list as ["*"], and still send it every event', async () => {
    const all = (await notifiers()).find((n) => n.id === ids.ids['All mail']);
    expect(all).toMatchObject({ events: ['*'], default: false });
    const posted = await herald.call('POST', '/v1/events', ids.key, { type: 'app_deployed', title: 'Deployed v43' });
    expect(posted.status).toBe(202);
    await eventually(async () => (await mailsTo('ops@shop.example', 'Deployed v43')).length === 1, 15_000, 'the deploy at All mail');
  });

  it('find the default notifier: marked, without app_crashed_repeated, following an owner change', async () => {
    const stored = (await notifiers()).find((n) => n.name === 'Owner email (default)');
    expect(stored).toMatchObject({ default: true, target: { to: ['owner@shop.example'] } });
    expect(stored.events).toContain('app_crashed');
    expect(stored.events).not.toContain('app_crashed_repeated');
    expect((await notifiers()).filter((n) => n.default)).toHaveLength(1);
    expect((await notifiers()).find((n) => n.id === ids.ids['Slack']).throttle).toEqual({ limit: 3, windowSeconds: 60 });

    const patched = await herald.call('PATCH', '/v1/apps/shop', ids.admin, { owner: { email: 'new-owner@shop.example' } });
    expect(patched.status).toBe(200);
    const crash = await herald.call('POST', '/v1/events', ids.key, { type: 'app_crashed', title: 'Checkout crashed again' });
    expect(crash.status).toBe(202);
    await eventually(async () => (await mailsTo('new-owner@shop.example', 'crashed again')).length === 1, 15_000, 'the new owner');
    expect(await mailsTo('owner@shop.example', 'crashed again')).toHaveLength(0);
  });

  it('answer a repeat of an idempotency key stored then with the newer fields', async () => {
    const again = await herald.call('POST', '/v1/events', ids.key, { type: 'app_crashed', title: 'Checkout crashed', id: 'crash-1' });
    expect(again.body).toMatchObject({ duplicate: true, unchanged: false, declined: [] });
  });
});

describe('deliveries stored by the previous version', () => {
  it('send the one its queue refused (an emoji in the title), at start', async () => {
    await eventually(async () => (await mailsTo('ops@shop.example', 'deploy 🚀')).length === 1, 15_000, 'the mail titled deploy 🚀');
  });

  it('count the dead ones as dead letters of their family, and redrive them', async () => {
    const dlq = (await herald.call('GET', '/v1/dlq', ids.admin)).body.channels;
    expect(dlq).toMatchObject({ webhook: { messages: 2 }, slack: { messages: 1 }, email: { messages: 0 } });
    const redriven = await herald.call('POST', '/v1/dlq/slack/redrive', ids.admin);
    expect(redriven.body).toEqual({ moved: 1 });
    expect((await herald.call('GET', '/v1/dlq', ids.admin)).body.channels.slack).toEqual({ messages: 0 });
  });
});

describe('deliveries stored by the previous version', () => {
  it("show their event's type in the log, and the type filter finds them (the data migration added it)", async () => {
    const { events } = (await herald.call('GET', '/v1/apps/shop/events?limit=100', ids.admin)).body;
    const old = events.at(-1); // the oldest: written by 82e4cfa, whose deliveries kept no event type
    const { deliveries } = (await herald.call('GET', `/v1/apps/shop/deliveries?eventId=${old.id}`, ids.admin)).body;
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.map((d: any) => d.eventType)).toEqual(deliveries.map(() => old.type));
    const typed = (await herald.call('GET', `/v1/apps/shop/deliveries?type=${old.type}&limit=100`, ids.admin)).body.deliveries;
    expect(typed.map((d: any) => d.id)).toEqual(expect.arrayContaining(deliveries.map((d: any) => d.id)));
  });
});

describe('the earlier data dir', () => {
  it('is moved into the store at the first start, its folder kept renamed, and read from the store after', async () => {
    expect(herald.output()).toMatch(/Moved in\s+\d+ items from the earlier data dir/);
    expect(existsSync(join(dataDir, 'dynamodb'))).toBe(false);
    const kept = readdirSync(dataDir).filter((name) => name.startsWith('dynamodb.moved-'));
    expect(kept).toHaveLength(1);
    expect(readdirSync(join(dataDir, kept[0] as string)).length).toBeGreaterThan(0);

    expect(await herald.stop()).toBe(0);
    herald = await startLocalHerald(dataDir);
    expect(herald.output()).not.toContain('Moved in');
    expect((await herald.call('GET', '/v1/apps', ids.admin)).body.apps.map((a: any) => a.id)).toContain('shop');
    expect((await notifiers()).find((n) => n.id === ids.ids['All mail'])).toMatchObject({ events: ['*'] });
    expect(readdirSync(dataDir).filter((name) => name.startsWith('dynamodb'))).toEqual(kept);
  });
});
