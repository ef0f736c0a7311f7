import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heraldDeps } from '../../shared/aws/wiring.js';
import { verifyWebhook } from '../../shared/core/webhook-signature.js';
import { SWEEPER } from '../../shared/resources.js';
import { sweep } from '../../shared/services/sweeper.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';
import { startTestHerald, type TestHerald } from '../support/herald.js';

let herald: TestHerald;
let receiver: Receiver;
let key: string;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  key = await herald.createApp('people');
  await herald.createApp('others');
  herald.startDelivering();
});
afterAll(async () => {
  await herald.stop();
  await receiver.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  herald.call(method, path, { key: herald.adminKey, ...(body ? { body } : {}) });
const contact = async (body: object, at = '/v1/apps/people/contacts') => {
  const res = await admin('POST', at, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.contact.id as string;
};
const notifier = async (body: object, at = '/v1/apps/people/notifiers') => {
  const res = await admin('POST', at, { events: ['ct.*'], ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.notifier;
};
const post = async (type: string, severity: string, title: string) =>
  (await herald.call('POST', '/v1/events', { key, body: { type, severity, title } })).body;
const mailTo = async (address: string) =>
  ((await herald.call('GET', '/_local/outbox/email')).body.emails as any[]).filter((m) => m.destination.to.includes(address));
const textsTo = async (number: string) =>
  ((await herald.call('GET', '/_local/outbox/sms')).body.messages as any[]).filter((m) => m.phoneNumber === number);
const hook = (path: string) => ({ channel: 'webhook', target: { url: `${receiver.url}${path}` } });
const arrivedAt = (path: string) => receiver.requests.filter((r) => r.path === path).map((r) => JSON.parse(r.body).title);

describe('a contact', () => {
  it('with e-mail and SMS (critical only) gets a warning by e-mail only and a critical on both, in German', async () => {
    const anna = await contact({
      name: 'Anna',
      locale: 'de',
      timeZone: 'Europe/Berlin',
      channels: [
        { channel: 'email', target: { to: ['anna@people.example'] } },
        { channel: 'sms', target: { to: ['+4915100000111'] }, minSeverity: 'critical' },
      ],
    });
    await notifier({ name: 'on call', contacts: [anna], events: ['ct.down'] });

    await post('ct.down', 'warning', 'disk filling');
    await eventually(async () => (await mailTo('anna@people.example')).length === 1, 10_000, "the warning's mail");
    await post('ct.down', 'critical', 'disk full');
    await eventually(async () => (await textsTo('+4915100000111')).length === 1, 10_000, "the critical's SMS");
    await eventually(async () => (await mailTo('anna@people.example')).length === 2, 10_000, "the critical's mail");

    const mails = await mailTo('anna@people.example');
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining('disk filling'), expect.stringContaining('disk full')]);
    // German: the severity as the contact's language says it, in the mail and in the text.
    expect(mails[1].subject).toContain('KRITISCH');
    expect(mails[1].body.text).toContain('Schweregrad: kritisch');
    expect(mails[0].body.text).toContain('Schweregrad: Warnung');
    // Its time zone: the time as it reads in Berlin.
    expect(mails[1].body.text).toMatch(/Zeit: .* MEZ/);
    const [text] = await textsTo('+4915100000111');
    expect(text.message).toContain('disk full');
    expect(text.message).toContain('kritisch');
    expect(await textsTo('+4915100000111')).toHaveLength(1); // the warning sent no SMS
  });

  it('in a group of two: both get the event, and one also named on its own gets it once', async () => {
    const ben = await contact({ name: 'Ben', channels: [hook('/ben')] });
    const cleo = await contact({ name: 'Cleo', channels: [hook('/cleo')] });
    const group = (await admin('POST', '/v1/apps/people/contact-groups', { name: 'Team', members: [ben, cleo] })).body.group;
    expect(group.id).toMatch(/^cgr_/);
    await notifier({ name: 'team', groups: [group.id], contacts: [ben], events: ['ct.team'] });
    await post('ct.team', 'info', 'deployed v7');
    await eventually(async () => arrivedAt('/ben').length === 1 && arrivedAt('/cleo').length === 1, 10_000, 'both members');
    await new Promise((r) => setTimeout(r, 500));
    expect(arrivedAt('/ben')).toEqual(['deployed v7']);
    expect(arrivedAt('/cleo')).toEqual(['deployed v7']);
  });

  it("with quiet hours now: only its own deliveries are held, the other contact's go out", async () => {
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    const quietHours = {
      timeZone: 'UTC',
      windows: [
        {
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          from: hhmm(new Date(Date.now() - 3600_000)),
          to: hhmm(new Date(Date.now() + 3600_000)),
        },
      ],
      during: 'hold',
    };
    const sleeping = await contact({
      name: 'Sleeping',
      quietHours,
      channels: [{ channel: 'webhook', target: { url: `${receiver.url}/sleeping`, headers: { 'X-Contact': 'sleeping' } } }],
    });
    const awake = await contact({ name: 'Awake', channels: [hook('/awake')] });
    const n = await notifier({ name: 'both', contacts: [sleeping, awake], events: ['ct.night'] });
    const { eventId } = await post('ct.night', 'warning', 'late alarm');
    await eventually(async () => arrivedAt('/awake').length === 1, 10_000, "the awake contact's delivery");
    await new Promise((r) => setTimeout(r, 1000));
    expect(arrivedAt('/sleeping')).toEqual([]);
    const { deliveries } = (await admin('GET', `/v1/apps/people/events/${eventId}`)).body;
    const held = deliveries.find((d: any) => d.notifierId === n.id && d.recipient.includes('/sl'));
    expect(held).toMatchObject({ status: 'queued', reason: expect.stringContaining('quiet hours') });
    expect(Date.parse(held.nextAttemptAt)).toBeGreaterThan(Date.now());
    // When they end (two hours on), the sweeper sends it to the contact's own target.
    const later = { ...heraldDeps(herald.config), clock: () => new Date(Date.now() + 2 * 3600_000) };
    expect((await sweep(later, { ...SWEEPER })).requeued).toBeGreaterThanOrEqual(1);
    await eventually(async () => arrivedAt('/sleeping').length === 1, 10_000, 'the held delivery, sent at the end of the quiet hours');
    expect(arrivedAt('/sleeping')).toEqual(['late alarm']);
    // With what its target says (a header here), as any delivery of it.
    expect(receiver.requests.find((r) => r.path === '/sleeping')?.headers['x-contact']).toBe('sleeping');
  });
});

describe('a notifier', () => {
  it('patched from a channel to contacts reaches them, and back to a channel reaches its target again; a global one, installation-wide contacts', async () => {
    const fay = await contact({ name: 'Fay', channels: [hook('/fay')] });
    const n = await notifier({ name: 'switched', ...hook('/switched'), events: ['ct.switch'] });
    const toContacts = await admin('PATCH', `/v1/apps/people/notifiers/${n.id}`, { channel: null, target: null, contacts: [fay] });
    expect(toContacts.status, JSON.stringify(toContacts.body)).toBe(200);
    expect(toContacts.body.notifier).not.toHaveProperty('channel');
    expect(toContacts.body.notifier.contacts).toEqual([fay]);
    const unknown = await admin('PATCH', `/v1/apps/people/notifiers/${n.id}`, { contacts: [fay, 'con_01jzzzzzzzzzzzzzzzzzzzzzzz'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('contacts[1]');
    await post('ct.switch', 'info', 'first');
    await eventually(async () => arrivedAt('/fay').includes('first'), 10_000, 'the contact reached');

    const back = await admin('PATCH', `/v1/apps/people/notifiers/${n.id}`, { ...hook('/switched'), contacts: null });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    await post('ct.switch', 'info', 'second');
    await eventually(async () => arrivedAt('/switched').includes('second'), 10_000, 'the channel reached again');
    expect(arrivedAt('/fay')).toEqual(['first']);
    expect(arrivedAt('/switched')).toEqual(['second']);

    // Its test goes to every channel of its contacts, whatever severity each wants.
    const gil = await contact({ name: 'Gil', channels: [hook('/gil'), { ...hook('/gil-pager'), minSeverity: 'critical' }] });
    const pager = await notifier({ name: 'gil', contacts: [gil], events: ['nothing'] });
    const test = await admin('POST', `/v1/apps/people/notifiers/${pager.id}/test`);
    expect(test.status, JSON.stringify(test.body)).toBe(200);
    expect(test.body.delivery.status).toBe('sent');
    await eventually(
      async () => arrivedAt('/gil').length === 1 && arrivedAt('/gil-pager').length === 1,
      10_000,
      'the test on both channels',
    );

    const desk = await contact({ name: 'Desk', channels: [hook('/desk')] }, '/v1/contacts');
    await notifier({ name: 'everywhere', contacts: [desk], events: ['ct.global'] }, '/v1/notifiers');
    await post('ct.global', 'info', 'for every app');
    await eventually(async () => arrivedAt('/desk').includes('for every app'), 10_000, 'the installation-wide contact');
  });
});

describe("an app's key", () => {
  it("manages the app's own contacts and groups, and no other app's nor the installation's", async () => {
    const asApp = (method: string, path: string, body?: unknown) => herald.call(method, path, { key, ...(body ? { body } : {}) });
    const made = await asApp('POST', '/v1/apps/people/contacts', { name: 'Self-served', channels: [hook('/self')] });
    expect(made.status).toBe(201);
    expect((await asApp('GET', `/v1/apps/people/contacts/${made.body.contact.id}`)).body.contact.name).toBe('Self-served');
    expect((await asApp('POST', '/v1/apps/people/contact-groups', { name: 'Mine', members: [made.body.contact.id] })).status).toBe(201);
    expect((await asApp('GET', '/v1/apps/others/contacts')).status).toBe(403);
    expect((await asApp('POST', '/v1/contacts', { name: 'Wide', channels: [hook('/wide')] })).status).toBe(403);
    expect((await asApp('GET', '/v1/apps/people/notifiers')).status).toBe(403);
  });
});

describe('contacts refused', () => {
  it('name the field at fault: an unknown member, an unknown contact, one of another app, a target', async () => {
    const dana = await contact({ name: 'Dana', channels: [hook('/dana')] });
    const foreign = await contact({ name: 'Foreign', channels: [hook('/f')] }, '/v1/apps/others/contacts');
    const unknown = 'con_01jzzzzzzzzzzzzzzzzzzzzzzz';

    const group = await admin('POST', '/v1/apps/people/contact-groups', { name: 'G', members: [dana, dana, unknown] });
    expect(group.status).toBe(400);
    expect(group.body.error.details).toEqual([{ path: 'members[2]', message: expect.any(String) }]);

    const byUnknown = await admin('POST', '/v1/apps/people/notifiers', { name: 'x', contacts: [foreign] });
    expect(byUnknown.status).toBe(400);
    expect(byUnknown.body.error.details[0].path).toBe('contacts[0]');

    // A global notifier names installation-wide contacts only.
    const global = await admin('POST', '/v1/notifiers', { name: 'x', contacts: [dana] });
    expect(global.status).toBe(400);
    expect(global.body.error.details[0].path).toBe('contacts[0]');
    const everyone = await contact({ name: 'Everyone', channels: [hook('/everyone')] }, '/v1/contacts');
    const byGlobal = await notifier({ name: 'x', contacts: [everyone], events: ['nothing'] }, '/v1/notifiers');
    const byApp = await notifier({ name: 'y', contacts: [everyone], events: ['nothing'] });
    // An installation-wide contact is in use wherever a notifier names it: the global one and the app's.
    const inUse = await admin('DELETE', `/v1/contacts/${everyone}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.details.map((d: any) => d.path).sort()).toEqual([byGlobal.id, byApp.id].sort());

    const neither = await admin('POST', '/v1/apps/people/notifiers', { name: 'x' });
    expect(neither.status).toBe(400);
    expect(neither.body.error.details[0].path).toBe('channel');
    const unknownChannel = await admin('POST', '/v1/apps/people/notifiers', { name: 'x', channel: 'pigeon', target: {} });
    expect(unknownChannel.body.error.details).toEqual([
      {
        path: 'channel',
        message: expect.stringMatching(/^must be one of email, sms, .*opsgenie, or left out for contacts and groups or an escalation$/),
      },
    ]);
    const both = await admin('POST', '/v1/apps/people/notifiers', { name: 'x', ...hook('/x'), contacts: [dana] });
    expect(both.status).toBe(400);

    const badTarget = await admin('POST', '/v1/apps/people/contacts', {
      name: 'E',
      channels: [{ channel: 'email', target: { to: ['nope'] } }],
    });
    expect(badTarget.status).toBe(400);
    expect(badTarget.body.error.details[0].path).toBe('channels.0.target.to.0');
    expect((await admin('GET', '/v1/apps/people/contacts')).body.contacts.map((c: any) => c.name)).not.toContain('E');
  });

  it('in use: deleting a contact a group or a notifier names is 409 contact_in_use naming them', async () => {
    const eva = await contact({ name: 'Eva', channels: [hook('/eva')] });
    const group = (await admin('POST', '/v1/apps/people/contact-groups', { name: 'Eva and co', members: [eva] })).body.group;
    const n = await notifier({ name: 'eva pager', contacts: [eva], events: ['nothing'] });

    const refused = await admin('DELETE', `/v1/apps/people/contacts/${eva}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('contact_in_use');
    expect(refused.body.error.details.map((d: any) => d.path).sort()).toEqual([group.id, n.id].sort());

    const groupNamed = await notifier({ name: 'group pager', groups: [group.id], events: ['nothing'] });
    const groupRefused = await admin('DELETE', `/v1/apps/people/contact-groups/${group.id}`);
    expect(groupRefused.status).toBe(409);
    expect(groupRefused.body.error.details.map((d: any) => d.path)).toEqual([groupNamed.id]);

    // Once nobody names them, they go.
    await admin('DELETE', `/v1/apps/people/notifiers/${groupNamed.id}`);
    expect((await admin('DELETE', `/v1/apps/people/contact-groups/${group.id}`)).status).toBe(204);
    await admin('DELETE', `/v1/apps/people/notifiers/${n.id}`);
    expect((await admin('DELETE', `/v1/apps/people/contacts/${eva}`)).status).toBe(204);
    expect((await admin('GET', `/v1/apps/people/contacts/${eva}`)).status).toBe(404);
  });
});

describe("an app's contacts", () => {
  it('go with it: an app made again with its id has none', async () => {
    await herald.createApp('brief');
    await contact({ name: 'Temp', channels: [hook('/temp')] }, '/v1/apps/brief/contacts');
    expect((await admin('DELETE', '/v1/apps/brief')).status).toBe(204);
    await herald.createApp('brief');
    expect((await admin('GET', '/v1/apps/brief/contacts')).body.contacts).toEqual([]);
  });
});

describe("a contact's secrets", () => {
  it("are masked as a notifier's, and a masked value sent back in a PATCH keeps the secret", async () => {
    const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const id = await contact({
      name: 'Hooked',
      channels: [{ channel: 'webhook', target: { url: `${receiver.url}/hooked`, secret } }],
    });
    const shown = (await admin('GET', `/v1/apps/people/contacts/${id}`)).body.contact;
    expect(shown.channels[0].target.secret).toBe('whsec_****');
    expect(JSON.stringify(shown)).not.toContain(secret.slice(6, 20));

    const patched = await admin('PATCH', `/v1/apps/people/contacts/${id}`, { name: 'Hooked again', channels: shown.channels });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await herald.deps.contacts.get('people', id))?.channels[0]?.target['secret']).toBe(secret);

    // A mask that stands for no secret Herald has is refused, naming where it is.
    const stray = await admin('PATCH', `/v1/apps/people/contacts/${id}`, {
      channels: [...shown.channels, { channel: 'webhook', target: { url: `${receiver.url}/other`, secret: 'whsec_****' } }],
    });
    expect(stray.status).toBe(400);
    expect(stray.body.error.details[0].path).toBe('channels.1.target.secret');
    expect((await herald.deps.contacts.get('people', id))?.name).toBe('Hooked again');
  });

  it("a webhook channel without a secret gets a generated one, shown once, and its requests are signed with it (as a notifier's)", async () => {
    const created = await admin('POST', '/v1/apps/people/contacts', { name: 'Signed', channels: [hook('/signed')] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const [generated] = created.body.secrets;
    expect(generated).toEqual({ index: 0, secret: expect.stringMatching(/^whsec_/) });
    expect(created.body.contact.channels[0].target.secret).toBe('whsec_****');
    const id = created.body.contact.id;
    const shown = (await admin('GET', `/v1/apps/people/contacts/${id}`)).body;
    expect(shown.contact.channels[0].target.secret).toBe('whsec_****');
    expect(JSON.stringify(shown)).not.toContain(generated.secret.slice(6, 20));
    await notifier({ name: 'signed', contacts: [id], events: ['ct.signed'] });

    // A webhook channel added by a PATCH gets one too; the first keeps its own.
    const patched = await admin('PATCH', `/v1/apps/people/contacts/${id}`, { channels: [...shown.contact.channels, hook('/signed-too')] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.secrets).toEqual([{ index: 1, secret: expect.stringMatching(/^whsec_/) }]);
    const added = patched.body.secrets[0].secret as string;

    await post('ct.signed', 'critical', 'signed?');
    for (const [path, secret] of [
      ['/signed', generated.secret],
      ['/signed-too', added],
    ] as const) {
      const req = await eventually(async () => receiver.requests.find((r) => r.path === path), 10_000, `the request at ${path}`);
      const signature = String(req.headers['webhook-signature']);
      const valid = verifyWebhook(secret, String(req.headers['webhook-id']), Number(req.headers['webhook-timestamp']), req.body, signature);
      expect(valid, `${path}: ${signature}`).toBe(true);
    }
  });
});
