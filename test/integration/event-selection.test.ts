import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

/** `["*"]` is every event of the app, said explicitly; Herald's own lifecycle events only when selected. */
let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  herald.call(method, path, { key: herald.adminKey, ...(body !== undefined ? { body } : {}) });
const hook = (path: string, events?: string[]) => ({
  name: path,
  channel: 'webhook',
  target: { url: `${receiver.url}${path}` },
  ...(events ? { events } : {}),
});
const typesAt = (path: string) => receiver.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body).event_type as string);

describe('events: every event is ["*"], never an empty list', () => {
  it('lists a notifier created without events as ["*"], and refuses an empty list on create and on patch', async () => {
    await herald.createApp('lists');
    const created = await admin('POST', '/v1/apps/lists/notifiers', hook('/lists'));
    expect(created.body.notifier.events).toEqual(['*']);
    const empty = await admin('POST', '/v1/apps/lists/notifiers', hook('/empty', []));
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.map((d: any) => d.path)).toEqual(['events']);
    const patched = await admin('PATCH', `/v1/apps/lists/notifiers/${created.body.notifier.id}`, { events: [] });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details.map((d: any) => d.path)).toEqual(['events']);
    const names = (await admin('GET', '/v1/apps/lists/notifiers')).body.notifiers.map((n: any) => [n.name, n.events]);
    expect(names).toContainEqual(['/lists', ['*']]);
    expect(names.map(([name]: string[]) => name)).not.toContain('/empty');
  });
});

describe("Herald's lifecycle events", () => {
  it('reach only the notifiers that select them, never through *, and a text or a call only by exact name', async () => {
    const key = await herald.createApp('life', {
      notifiers: [
        hook('/star'),
        hook('/glob', ['notifier_*']),
        hook('/category', ['@lifecycle']),
        { name: 'texts', channel: 'sms', target: { to: ['+4915100000001'] }, events: ['*'] },
        { name: 'texts by glob', channel: 'sms', target: { to: ['+4915100000002'] }, events: ['notifier_*', '@lifecycle'] },
        { name: 'texts by name', channel: 'sms', target: { to: ['+4915100000003'] }, events: ['notifier_edited'] },
        { name: 'calls', channel: 'twilio_voice', target: { to: ['+4915100000004'] }, events: ['*'] },
      ],
    });
    const mm = (await admin('POST', '/v1/apps/life/notifiers', hook('/mm', ['x']))).body.notifier;
    await admin('PATCH', `/v1/apps/life/notifiers/${mm.id}`, { name: 'mm' });
    await herald.call('POST', '/v1/events', { key, body: { type: 'app_restarted', title: 'the app restarted itself' } });
    // The app's own event arrives last at /star: by then the lifecycle events would have too.
    await eventually(async () => typesAt('/star').includes('app_restarted'), 10_000, 'the app event at /star');
    await eventually(async () => typesAt('/category').includes('app_restarted'), 10_000, 'the app event at /category');
    await new Promise((r) => setTimeout(r, 1000));
    expect(typesAt('/star')).toEqual(['app_restarted']);
    expect(new Set(typesAt('/glob'))).toEqual(new Set(['notifier_added', 'notifier_edited']));
    expect(new Set(typesAt('/category'))).toEqual(new Set(['app_restarted', 'notifier_added', 'notifier_edited']));
    const texts = (await herald.call('GET', '/_local/outbox/sms')).body.messages as any[];
    expect(texts.filter((m) => m.message.includes('Notifier')).map((m) => [m.phoneNumber, m.message])).toEqual([
      ['+4915100000003', 'Life: Notifier "mm" changed'],
    ]);
    expect(herald.standIns.delivered('twilio').filter((d) => d['kind'] === 'call')).toHaveLength(1); // app_restarted only
  });

  it('leave the welcome to the default notifier, which names app_created', async () => {
    await herald.createApp('welcomed', { owner: 'o@welcomed.example' });
    await eventually(
      async () =>
        (await herald.call('GET', '/_local/outbox/email')).body.emails.find((m: any) => m.destination.to.includes('o@welcomed.example')),
      10_000,
      'the welcome',
    );
  });
});
