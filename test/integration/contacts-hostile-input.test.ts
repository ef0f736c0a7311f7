import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, storedItems, type TestHerald } from '../support/herald.js';

/**
 * What a user types into the endpoints of contacts, groups, escalation, failover and a
 * notifier's rate that the happy paths never try: an emoji name, numbers far out of range,
 * bodies that are empty, null or an array, ids 3,000 characters long, unknown keys. Each is
 * a 4xx naming the field, and changes nothing Herald stores. (api-fuzz.test.ts throws random
 * bodies at these routes and checks for no 5xx; here each refusal names the field at fault.)
 */

let herald: TestHerald;
let receiver: Receiver;
let dynamodb: DynamoDBClient;
let key: string;
let anna: string;
let team: string;
let hookNotifier: string;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  dynamodb = new DynamoDBClient({ region: herald.config.region, endpoint: herald.emulators.dynamodb });
  key = await herald.createApp('typed');
  herald.startDelivering();
  anna = (await admin('POST', '/v1/apps/typed/contacts', { name: 'Anna', channels: [hook('/anna')] })).body.contact.id;
  team = (await admin('POST', '/v1/apps/typed/contact-groups', { name: 'Team', members: [anna] })).body.group.id;
  hookNotifier = (await admin('POST', '/v1/apps/typed/notifiers', { name: 'Hook', ...hook('/hook'), events: ['nothing'] })).body.notifier
    .id;
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  herald.call(method, path, { key: herald.adminKey, ...(body !== undefined ? { body } : {}) });
const raw = (method: string, path: string, text: string) =>
  herald.call(method, path, { key: herald.adminKey, raw: text, headers: { 'content-type': 'application/json' } });
const hook = (path: string) => ({ channel: 'webhook', target: { url: `${receiver.url}${path}` } });

/** What Herald stores; the per-minute counters left out: they count refused attempts too. */
const stored = () => storedItems(dynamodb, herald.config.tableName, 'CNT#');

const long = 'a'.repeat(3000);
const longContact = `con_${'0'.repeat(2996)}`;

describe('a contact named with emoji', () => {
  it('is stored and read back intact, listed so, and a message to it arrives', async () => {
    const name = 'Zoë 🚨👩‍💻 on call 🇩🇪';
    const made = await admin('POST', '/v1/apps/typed/contacts', { name, channels: [hook('/emoji')] });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.contact.name).toBe(name);
    const id = made.body.contact.id;
    expect((await admin('GET', `/v1/apps/typed/contacts/${id}`)).body.contact.name).toBe(name);
    expect((await admin('GET', '/v1/apps/typed/contacts')).body.contacts.map((c: any) => c.name)).toContain(name);
    const group = await admin('POST', '/v1/apps/typed/contact-groups', { name: '🔥 Fire brigade', members: [id] });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    expect((await admin('GET', `/v1/apps/typed/contact-groups/${group.body.group.id}`)).body.group.name).toBe('🔥 Fire brigade');

    const n = await admin('POST', '/v1/apps/typed/notifiers', { name: '📟 pager', groups: [group.body.group.id], events: ['emoji.*'] });
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    await herald.call('POST', '/v1/events', { key, body: { type: 'emoji.down', severity: 'critical', title: 'db 💥 down' } });
    const arrived = await eventually(
      async () => receiver.requests.find((r) => r.path === '/emoji'),
      10_000,
      "the emoji contact's delivery",
    );
    expect(JSON.parse(arrived.body).title).toBe('db 💥 down');
  });
});

describe('refused, naming the field, and nothing changed', () => {
  const cases: [string, string, string, () => unknown, string][] = [
    // Numbers a user may type: far too large, negative, not a number JavaScript can hold.
    [
      'afterSeconds 1e20',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'p', escalation: { steps: [{ afterSeconds: 1e20, notify: [{ contact: anna }] }] } }),
      'escalation.steps.0.afterSeconds',
    ],
    [
      'repeat 1e9',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'p', escalation: { steps: [{ afterSeconds: 60, notify: [{ contact: anna }] }], repeat: 1e9 } }),
      'escalation.repeat',
    ],
    [
      'a failover afterSeconds 1e20',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'f', ...hook('/f'), failover: { to: [{ contact: anna }], afterSeconds: 1e20 } }),
      'failover.afterSeconds',
    ],
    [
      'rate.perSecond 1e308',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'r', ...hook('/r'), rate: { perSecond: 1e308, burst: 1 } }),
      'rate.perSecond',
    ],
    [
      'rate.burst -1',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'r', ...hook('/r'), rate: { perSecond: 1, burst: -1 } }),
      'rate.burst',
    ],
    [
      'rate.perSecond 1e308 in a PATCH',
      'PATCH',
      '/v1/apps/typed/notifiers/{hook}',
      () => ({ rate: { perSecond: 1e308 } }),
      'rate.perSecond',
    ],
    [
      'repeat 1e9 in a PATCH',
      'PATCH',
      '/v1/apps/typed/notifiers/{hook}',
      () => ({ channel: null, target: null, escalation: { steps: [{ afterSeconds: 60, notify: [{ contact: anna }] }], repeat: 1e9 } }),
      'escalation.repeat',
    ],
    // Ids 3,000 characters long where ids are named.
    [
      'a 3,000-character contact in contacts[]',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'c', contacts: [longContact] }),
      'contacts',
    ],
    [
      'a 3,000-character group in groups[]',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'g', groups: [`cgr_${'0'.repeat(2996)}`] }),
      'groups',
    ],
    ['a 3,000-character member', 'POST', '/v1/apps/typed/contact-groups', () => ({ name: 'G', members: [longContact] }), 'members'],
    [
      'a 3,000-character member in a PATCH',
      'PATCH',
      '/v1/apps/typed/contact-groups/{team}',
      () => ({ members: [anna, longContact] }),
      'members',
    ],
    [
      'a 3,000-character contact in a step',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'p', escalation: { steps: [{ afterSeconds: 0, notify: [{ contact: longContact }] }] } }),
      'escalation.steps.0.notify.0',
    ],
    [
      'a 3,000-character notifier in a failover',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'f', ...hook('/f'), failover: { to: [{ notifier: `ntf_${'0'.repeat(2996)}` }] } }),
      'failover.to.0',
    ],
    [
      'a 3,000-character contact in contacts[] of a PATCH',
      'PATCH',
      '/v1/apps/typed/notifiers/{hook}',
      () => ({ channel: null, target: null, contacts: [longContact] }),
      'contacts',
    ],
    // Unknown keys, where a typo would otherwise be dropped without a word.
    [
      'an unknown key on a contact',
      'POST',
      '/v1/apps/typed/contacts',
      () => ({ name: 'X', channels: [hook('/x')], phone: '+491510000' }),
      'phone: is not a field here',
    ],
    [
      'an unknown key on a contact channel',
      'POST',
      '/v1/apps/typed/contacts',
      () => ({ name: 'X', channels: [{ ...hook('/x'), severity: 'critical' }] }),
      'channels.0.severity: is not a field here',
    ],
    ['an unknown key in a contact PATCH', 'PATCH', '/v1/apps/typed/contacts/{anna}', () => ({ nmae: 'Typo' }), 'nmae: is not a field here'],
    [
      'an unknown key on a group',
      'POST',
      '/v1/apps/typed/contact-groups',
      () => ({ name: 'G', members: [anna], owner: 'me' }),
      'owner: is not a field here',
    ],
    [
      'an unknown key in a group PATCH',
      'PATCH',
      '/v1/apps/typed/contact-groups/{team}',
      () => ({ memebrs: [anna] }),
      'memebrs: is not a field here',
    ],
    [
      'an unknown key in a step',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'p', escalation: { steps: [{ afterSeconds: 0, notify: [{ contact: anna }], after: 5 }] } }),
      'escalation.steps.0.after: is not a field here',
    ],
    [
      'an unknown key in a notify entry',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'p', escalation: { steps: [{ afterSeconds: 0, notify: [{ person: anna }] }] } }),
      'escalation.steps.0.notify.0: must be one of {"notifier": "ntf_..."}',
    ],
    [
      'an unknown key in a failover',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'f', ...hook('/f'), failover: { to: [{ contact: anna }], after: 5 } }),
      'failover.after: is not a field here',
    ],
    [
      'an unknown key in a rate',
      'POST',
      '/v1/apps/typed/notifiers',
      () => ({ name: 'r', ...hook('/r'), rate: { perSecond: 1, perMinute: 60 } }),
      'rate.perMinute: is not a field here',
    ],
  ];

  it.each(cases)('%s: 400 naming it', async (_what, method, template, body, path) => {
    const url = template.replace('{hook}', hookNotifier).replace('{team}', team).replace('{anna}', anna);
    const before = await stored();
    const res = await admin(method, url, body());
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    // An unknown key is the field at fault: its path names it.
    expect(res.body.error.details.map((d: any) => `${d.path}: ${d.message}`).join(' | ')).toContain(path);
    expect(await stored()).toBe(before);
  });

  const bodied: [string, string][] = [
    ['POST', '/v1/apps/typed/contacts'],
    ['PATCH', '/v1/apps/typed/contacts/{anna}'],
    ['POST', '/v1/contacts'],
    ['POST', '/v1/apps/typed/contact-groups'],
    ['PATCH', '/v1/apps/typed/contact-groups/{team}'],
    ['POST', '/v1/contact-groups'],
    ['PATCH', '/v1/apps/typed/notifiers/{hook}'],
  ];
  it.each(bodied)('%s %s: an empty body, JSON null, an array or a string is 400 naming the body', async (method, template) => {
    const url = template.replace('{hook}', hookNotifier).replace('{team}', team).replace('{anna}', anna);
    const before = await stored();
    for (const text of ['', 'null', '[]', '[{"name":"x"}]', '"x"', '{']) {
      const res = await raw(method, url, text);
      expect(res.status, `${text}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.details?.[0]?.path, `${text}: ${JSON.stringify(res.body)}`).toBe('(body)');
    }
    // An empty object: a POST says what is missing; a PATCH changes nothing.
    const empty = await raw(method, url, '{}');
    if (method === 'POST') {
      expect(empty.status).toBe(400);
      expect(empty.body.error.details[0].path).toBe('name');
    } else expect(empty.status, JSON.stringify(empty.body)).toBeLessThan(500);
    if (method === 'POST') expect(await stored()).toBe(before);
  });

  it.each([
    ['GET', '/v1/apps/typed/contacts/{long}'],
    ['PATCH', '/v1/apps/typed/contacts/{long}'],
    ['DELETE', '/v1/apps/typed/contacts/{long}'],
    ['GET', '/v1/contacts/{long}'],
    ['GET', '/v1/apps/typed/contact-groups/{long}'],
    ['PATCH', '/v1/apps/typed/contact-groups/{long}'],
    ['DELETE', '/v1/contact-groups/{long}'],
    ['GET', '/v1/apps/{long}/contacts'],
    ['POST', '/v1/apps/{long}/contacts'],
    ['POST', '/v1/apps/{long}/contact-groups'],
  ])('%s %s, the id 3,000 characters long: 400 naming the parameter', async (method, template) => {
    const before = await stored();
    const body = template.includes('groups') ? { name: 'x', members: [anna] } : { name: 'x', channels: [hook('/x')] };
    const res = await admin(method, template.replace('{long}', long), method === 'POST' || method === 'PATCH' ? body : undefined);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.details).toEqual([
      { path: template.includes('/apps/{long}') ? 'appId' : 'id', message: expect.stringContaining('at most 128 characters') },
    ]);
    expect(await stored()).toBe(before);
  });
});
