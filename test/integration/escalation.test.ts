import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/**
 * Escalation policies and failover (issue 18) as a user meets them, against the emulators:
 * a policy's steps reach their webhooks on time unless someone acknowledges or the check
 * recovers, a repeat runs them again, and a webhook that is down or refuses fails over to
 * e-mail, the delivery log linking both. Retries are 30 s apart here, so that a receiver
 * that is down is still `retrying` when its failover's window ends.
 */

let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald({ retrySchedule: [30, 30] });
  herald.startDelivering();
});
afterAll(async () => {
  await herald?.stop();
  await receiver?.close();
});

const admin = (method: string, path: string, body?: unknown) =>
  herald.call(method, path, { key: herald.adminKey, ...(body !== undefined ? { body } : {}) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const arrivals = (path: string, title: string) => receiver.requests.filter((r) => r.path === path && r.body.includes(title));

/** A webhook notifier that wants nothing itself (a policy's or a failover's entry), its receiver at `path`. */
async function hook(app: string, path: string, extra: object = {}): Promise<string> {
  const res = await admin('POST', `/v1/apps/${app}/notifiers`, {
    name: `Hook ${path}`,
    channel: 'webhook',
    target: { url: `${receiver.url}${path}` },
    events: ['nothing.wanted'],
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.notifier.id as string;
}

/** An app with a policy: step 1 at 0 s to /<app>/1, step 2 at `secondAfter` s to /<app>/2. Resolves to its ingest key. */
async function appWithPolicy(app: string, secondAfter: number, repeat?: number): Promise<string> {
  const key = await herald.createApp(app);
  const first = await hook(app, `/${app}/1`);
  const second = await hook(app, `/${app}/2`);
  const policy = await admin('POST', `/v1/apps/${app}/notifiers`, {
    name: 'On call',
    events: ['check.status'],
    escalation: {
      steps: [
        { afterSeconds: 0, notify: [{ notifier: first }] },
        { afterSeconds: secondAfter, notify: [{ notifier: second }] },
      ],
      ...(repeat !== undefined ? { repeat } : {}),
    },
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  expect(policy.body.notifier).toMatchObject({ escalation: { steps: [{ afterSeconds: 0 }, { afterSeconds: secondAfter }] } });
  expect(policy.body.notifier.channel).toBeUndefined();
  return key;
}

const check = (key: string, status: string, title = `db is ${status}`) =>
  herald.call('POST', '/v1/events', { key, body: { type: 'check.status', title, data: { check: 'db', status } } });

describe('escalation', () => {
  it('an incident to a policy of 2 steps with 5 s: step 2 fires at 5 s ± 2 s when not acked; the delivery log shows step 1 and step 2', async () => {
    const key = await appWithPolicy('esc-late', 5);
    const posted = Date.now();
    const post = () =>
      herald.call('POST', '/v1/events', {
        key,
        headers: { 'idempotency-key': 'db-down-1' },
        body: { type: 'check.status', title: 'Database down', data: { check: 'db', status: 'ERROR' } },
      });
    const failed = await post();
    expect(failed.status).toBe(202);
    await eventually(async () => arrivals('/esc-late/1', 'Database down').length > 0, 5_000, 'step 1');
    expect(arrivals('/esc-late/2', 'Database down')).toEqual([]);
    const [second] = await eventually(
      async () => arrivals('/esc-late/2', 'Database down').length > 0 && arrivals('/esc-late/2', 'Database down'),
      10_000,
      'step 2',
    );
    expect((second?.at ?? 0) - posted).toBeGreaterThanOrEqual(3_000);
    expect((second?.at ?? 0) - posted).toBeLessThanOrEqual(7_000);
    // Both are deliveries of the failure, each saying its step.
    const { body } = await admin('GET', `/v1/apps/esc-late/events/${failed.body.eventId}`);
    const steps = body.deliveries.map((d: any) => d.escalation && `${d.escalation.step}/${d.escalation.round} ${d.status}`).sort();
    expect(steps).toEqual(['1/1 sent', '2/1 sent']);
    // The same post again answers as the first did: step 2 came later, it was not in that answer.
    expect((await post()).body).toEqual({ ...failed.body, duplicate: true });
  });

  it('with an ack at 2 s, step 2 never fires (checked 10 s later), and the ack reaches step 1', async () => {
    const key = await appWithPolicy('esc-acked', 5);
    const failed = await check(key, 'ERROR', 'Cache down');
    await eventually(async () => arrivals('/esc-acked/1', 'Cache down').length > 0, 5_000, 'step 1');
    const [hook1] = arrivals('/esc-acked/1', 'Cache down').map((r) => JSON.parse(r.body));
    await sleep(2_000);
    const acked = await admin('POST', `/v1/apps/esc-acked/incidents/${hook1.incident.id}/ack`, { by: 'ops@esc.example' });
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    await eventually(async () => arrivals('/esc-acked/1', 'Ack by ops@esc.example').length > 0, 5_000, 'the ack announced');
    await sleep(10_000);
    expect(receiver.requests.filter((r) => r.path === '/esc-acked/2')).toEqual([]);
    const { body } = await admin('GET', `/v1/apps/esc-acked/events/${failed.body.eventId}`);
    expect(body.deliveries.filter((d: any) => d.escalation?.step === 2)).toEqual([]);
  }, 30_000);

  it('an ack cancels a step queued but not sent yet (its receiver failed once: a retry is due): recorded suppressed, never sent again', async () => {
    receiver.respond((req) => ({ status: req.path === '/esc-pending/2' ? 503 : 200 }));
    const key = await appWithPolicy('esc-pending', 2);
    const failed = await check(key, 'ERROR', 'Search down');
    await eventually(async () => arrivals('/esc-pending/2', 'Search down').length > 0, 8_000, 'step 2 tried');
    const stepTwo = async () =>
      (await admin('GET', `/v1/apps/esc-pending/events/${failed.body.eventId}`)).body.deliveries.find((d: any) => d.escalation?.step === 2);
    await eventually(async () => (await stepTwo())?.status === 'retrying', 5_000, 'step 2 retrying');
    const [hook1] = arrivals('/esc-pending/1', 'Search down').map((r) => JSON.parse(r.body));
    expect((await admin('POST', `/v1/apps/esc-pending/incidents/${hook1.incident.id}/ack`, { by: 'ops@esc.example' })).status).toBe(200);
    expect(await stepTwo()).toMatchObject({ status: 'suppressed', reason: expect.stringContaining('acknowledged') });
    receiver.respond(() => ({ status: 200 }));
    // Never sent again: its retry's time (30 s after the try) passes, the receiver now answering 200, and the failure
    // does not arrive a second time (the ack's own notice, refused with the 503 too, does arrive on its retry).
    const failures = () => arrivals('/esc-pending/2', 'Search down').filter((r) => JSON.parse(r.body).event_type === 'check.status');
    const [tried] = failures();
    await sleep(Math.max(0, (tried?.at ?? 0) + 36_000 - Date.now()));
    expect(failures()).toHaveLength(1);
  }, 60_000);

  it('repeat runs the steps again: 0 s and 2 s with repeat 1 reach step 1 again at 4 s and step 2 at 6 s, then stop', async () => {
    const key = await appWithPolicy('esc-repeat', 2, 1);
    const failed = await check(key, 'ERROR', 'Queue stuck');
    await eventually(async () => arrivals('/esc-repeat/2', 'Queue stuck').length === 2, 12_000, 'step 2 twice');
    expect(arrivals('/esc-repeat/1', 'Queue stuck')).toHaveLength(2);
    await sleep(4_000);
    expect(arrivals('/esc-repeat/1', 'Queue stuck')).toHaveLength(2);
    expect(arrivals('/esc-repeat/2', 'Queue stuck')).toHaveLength(2);
    const { body } = await admin('GET', `/v1/apps/esc-repeat/events/${failed.body.eventId}`);
    const steps = body.deliveries.map((d: any) => `${d.escalation.step}/${d.escalation.round}`).sort();
    expect(steps).toEqual(['1/1', '1/2', '2/1', '2/2']);
  }, 30_000);

  it("the check's recovery cancels what is pending: step 2 never fires, step 1 hears of the recovery", async () => {
    const key = await appWithPolicy('esc-recovered', 4);
    await check(key, 'ERROR', 'Disk full');
    await eventually(async () => arrivals('/esc-recovered/1', 'Disk full').length > 0, 5_000, 'step 1');
    await sleep(1_000);
    expect((await check(key, 'OK', 'Disk fine')).status).toBe(202);
    await eventually(async () => arrivals('/esc-recovered/1', 'Disk fine').length > 0, 5_000, 'the recovery');
    await sleep(6_000);
    expect(receiver.requests.filter((r) => r.path === '/esc-recovered/2')).toEqual([]);
  }, 30_000);

  it('a step 1 that waits (3 s) and a recovery at 1 s: nobody hears of the failure nor of its recovery', async () => {
    const key = await herald.createApp('esc-quick');
    const first = await hook('esc-quick', '/esc-quick/1');
    const made = await admin('POST', '/v1/apps/esc-quick/notifiers', {
      name: 'On call',
      events: ['check.status'],
      escalation: { steps: [{ afterSeconds: 3, notify: [{ notifier: first }] }] },
    });
    expect(made.status).toBe(201);
    await check(key, 'ERROR', 'Blip');
    await sleep(1_000);
    await check(key, 'OK', 'Blip over');
    await sleep(4_500);
    expect(receiver.requests.filter((r) => r.path === '/esc-quick/1')).toEqual([]);
  });

  it('a step 1 that waits (3 s) and a further failure at 1 s: step 1 hears of it only at its time, not at once', async () => {
    const key = await herald.createApp('esc-wait');
    const first = await hook('esc-wait', '/esc-wait/1');
    const made = await admin('POST', '/v1/apps/esc-wait/notifiers', {
      name: 'On call',
      events: ['check.status'],
      escalation: { steps: [{ afterSeconds: 3, notify: [{ notifier: first }] }] },
    });
    expect(made.status).toBe(201);
    const posted = Date.now();
    await check(key, 'ERROR', 'Disk full');
    await sleep(1_000);
    await check(key, 'DEGRADED', 'Disk nearly full');
    await sleep(1_000);
    expect(receiver.requests.filter((r) => r.path === '/esc-wait/1')).toEqual([]);
    await eventually(async () => arrivals('/esc-wait/1', 'Disk full').length > 0, 6_000, 'step 1 at its time');
    expect(Date.now() - posted).toBeGreaterThanOrEqual(2_500);
  }, 15_000);

  it('an event that opens no incident goes to step 1 only', async () => {
    const key = await herald.createApp('esc-plain');
    const first = await hook('esc-plain', '/esc-plain/1');
    const second = await hook('esc-plain', '/esc-plain/2');
    await admin('POST', '/v1/apps/esc-plain/notifiers', {
      name: 'On call',
      escalation: {
        steps: [
          { afterSeconds: 0, notify: [{ notifier: first }] },
          { afterSeconds: 2, notify: [{ notifier: second }] },
        ],
      },
    });
    await herald.call('POST', '/v1/events', { key, body: { type: 'app_deployed', title: 'Deployed v7' } });
    await eventually(async () => arrivals('/esc-plain/1', 'Deployed v7').length > 0, 5_000, 'step 1');
    await sleep(4_000);
    expect(receiver.requests.filter((r) => r.path === '/esc-plain/2')).toEqual([]);
  });
});

/** A port nobody listens on: a receiver that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The mails to `to` whose subject holds `subject` (the app's default notifier mails its owner too). */
const mails = async (to: string, subject: string) =>
  ((await herald.call('GET', '/_local/outbox/email')).body.emails as any[]).filter(
    (m) => m.subject.includes(subject) && m.destination.to.includes(to),
  );

/** An app with an e-mail notifier (wanting nothing itself) and a webhook at `url` failing over to it after `afterSeconds`. */
async function appWithFailover(app: string, url: string, afterSeconds: number): Promise<{ key: string; mail: string; webhook: string }> {
  const key = await herald.createApp(app);
  const mail = await admin('POST', `/v1/apps/${app}/notifiers`, {
    name: 'Mail',
    channel: 'email',
    target: { to: [`ops@${app}.example`] },
    events: ['nothing.wanted'],
  });
  const webhook = await admin('POST', `/v1/apps/${app}/notifiers`, {
    name: 'Hook',
    channel: 'webhook',
    target: { url },
    events: ['app_crashed'],
    failover: { to: [{ notifier: mail.body.notifier.id }], afterSeconds },
  });
  expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
  expect(webhook.body.notifier.failover).toEqual({ to: [{ notifier: mail.body.notifier.id }], afterSeconds });
  return { key, mail: mail.body.notifier.id, webhook: webhook.body.notifier.id };
}

/** A notifier of the app by name. */
const notifierNamed = async (app: string, name: string) =>
  ((await admin('GET', `/v1/apps/${app}/notifiers`)).body.notifiers as any[]).find((n) => n.name === name);

describe('failover', () => {
  it('a webhook notifier whose receiver is down with a failover to e-mail: the mail arrives after the window; the delivery log shows both', async () => {
    const { key, mail, webhook } = await appWithFailover('fo-down', `http://127.0.0.1:${await closedPort()}/hook`, 3);
    const posted = Date.now();
    const crashed = await herald.call('POST', '/v1/events', { key, body: { type: 'app_crashed', title: 'Worker crashed' } });
    expect(crashed.status).toBe(202);
    await sleep(1_500);
    expect(await mails('ops@fo-down.example', 'Worker crashed')).toEqual([]);
    const [sent] = await eventually(
      async () => {
        const found = await mails('ops@fo-down.example', 'Worker crashed');
        return found.length > 0 && found;
      },
      10_000,
      'the failover mail',
    );
    expect(sent.destination.to).toEqual(['ops@fo-down.example']);
    expect(Date.now() - posted).toBeGreaterThanOrEqual(3_000);
    const { body } = await eventually(async () => {
      const read = await admin('GET', `/v1/apps/fo-down/events/${crashed.body.eventId}`);
      return read.body.deliveries.some((d: any) => d.notifierId === mail && d.status === 'sent') && read;
    });
    const hookDelivery = body.deliveries.find((d: any) => d.notifierId === webhook);
    const mailDelivery = body.deliveries.find((d: any) => d.notifierId === mail);
    expect(hookDelivery).toMatchObject({ status: 'retrying', failedOverTo: [mailDelivery.id] });
    expect(mailDelivery).toMatchObject({ status: 'sent', failoverOf: hookDelivery.id, failoverBy: { notifierId: webhook, entry: 1 } });
  }, 30_000);

  it('a delivery that fails (410) fails over at once', async () => {
    receiver.respond((req) => ({ status: req.path === '/fo-gone' ? 410 : 200 }));
    const { key, mail } = await appWithFailover('fo-gone', `${receiver.url}/fo-gone`, 900);
    const crashed = await herald.call('POST', '/v1/events', { key, body: { type: 'app_crashed', title: 'API crashed' } });
    await eventually(async () => (await mails('ops@fo-gone.example', 'API crashed')).length > 0, 8_000, 'the failover mail');
    const { body } = await eventually(async () => {
      const read = await admin('GET', `/v1/apps/fo-gone/events/${crashed.body.eventId}`);
      return read.body.deliveries.some((d: any) => d.notifierId === mail && d.status === 'sent') && read;
    });
    const failed = body.deliveries.find((d: any) => d.status === 'failed');
    expect(failed.failedOverTo).toHaveLength(1);
    expect(body.deliveries.find((d: any) => d.notifierId === mail)).toMatchObject({ status: 'sent', failoverOf: failed.id });
  });

  it("deleting a notifier a policy's step or a failover names is 409 notifier_in_use naming them, and it stays; free again, it goes", async () => {
    await herald.createApp('in-use');
    const stepped = await hook('in-use', '/in-use/step');
    const backup = await hook('in-use', '/in-use/backup');
    const policy = await admin('POST', '/v1/apps/in-use/notifiers', {
      name: 'Pager',
      events: ['check.status'],
      escalation: { steps: [{ afterSeconds: 0, notify: [{ notifier: stepped }] }] },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const failing = await hook('in-use', '/in-use/main', { failover: { to: [{ notifier: backup }] } });

    for (const [id, namer, name] of [
      [stepped, policy.body.notifier.id, 'Pager'],
      [backup, failing, 'Hook /in-use/main'],
    ] as const) {
      const refused = await admin('DELETE', `/v1/apps/in-use/notifiers/${id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('notifier_in_use');
      expect(refused.body.error.details).toEqual([{ path: namer, message: `the notifier "${name}" (${namer})` }]);
      expect((await admin('GET', `/v1/apps/in-use/notifiers/${id}`)).status).toBe(200);
    }
    expect((await admin('DELETE', `/v1/apps/in-use/notifiers/${policy.body.notifier.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/v1/apps/in-use/notifiers/${stepped}`)).status).toBe(204);
  });
});

describe('escalation and failover settings', () => {
  it('refuses, naming the field: an unknown notifier, steps out of order, a failover to itself, a loop, a policy named as a step', async () => {
    await herald.createApp('esc-bad');
    const a = await hook('esc-bad', '/esc-bad/a');
    const b = await hook('esc-bad', '/esc-bad/b', { failover: { to: [{ notifier: a }] } });
    const refusal = async (body: object, path = '/v1/apps/esc-bad/notifiers', method = 'POST') => {
      const res = await admin(method, path, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.error.details.map((d: any) => d.path);
    };
    const policy = (steps: object[]) => ({ name: 'P', escalation: { steps } });
    expect(await refusal(policy([{ afterSeconds: 0, notify: [{ notifier: 'ntf_nosuch' }] }]))).toEqual([
      'escalation.steps.0.notify.0.notifier',
    ]);
    expect(await refusal({ ...policy([{ afterSeconds: 0, notify: [{ notifier: a }] }]), grouping: { by: ['check'] } })).toEqual([
      'grouping',
    ]);
    expect(
      await refusal(
        policy([
          { afterSeconds: 60, notify: [{ notifier: a }] },
          { afterSeconds: 30, notify: [{ notifier: b }] },
        ]),
      ),
    ).toEqual(['escalation.steps.1.afterSeconds']);
    expect(await refusal({ failover: { to: [{ notifier: a }] } }, `/v1/apps/esc-bad/notifiers/${a}`, 'PATCH')).toEqual([
      'failover.to.0.notifier',
    ]);
    expect(await refusal({ failover: { to: [{ notifier: b }] } }, `/v1/apps/esc-bad/notifiers/${a}`, 'PATCH')).toEqual(['failover.to']);
    const made = await admin('POST', '/v1/apps/esc-bad/notifiers', policy([{ afterSeconds: 0, notify: [{ notifier: a }] }]));
    expect(made.status).toBe(201);
    // A policy has no channel to test: its steps' notifiers have.
    expect(await refusal({}, `/v1/apps/esc-bad/notifiers/${made.body.notifier.id}/test`)).toEqual(['escalation']);
    expect(await refusal(policy([{ afterSeconds: 0, notify: [{ notifier: made.body.notifier.id }] }]))).toEqual([
      'escalation.steps.0.notify.0.notifier',
    ]);
    expect(await refusal({ name: 'Both', channel: 'webhook', target: { url: `${receiver.url}/x` }, escalation: { steps: [] } })).toEqual([
      'escalation', // not a field of a webhook notifier
    ]);
    // Nothing was changed by the refusals.
    expect((await admin('GET', `/v1/apps/esc-bad/notifiers/${a}`)).body.notifier.failover).toBeUndefined();
  });
});

describe('failover and acknowledgements', () => {
  it('a failure acknowledged before its failover window ends fails over to nobody', async () => {
    const { key, mail } = await appWithFailover('fo-acked', `http://127.0.0.1:${await closedPort()}/hook`, 3);
    await admin('PATCH', `/v1/apps/fo-acked/notifiers/${(await notifierNamed('fo-acked', 'Hook')).id}`, { events: ['check.status'] });
    const failed = await check(key, 'ERROR', 'Ledger down');
    expect(failed.status).toBe(202);
    const incident = await eventually(async () => {
      const read = await admin('GET', '/v1/apps/fo-acked/incidents?status=open');
      return read.body.incidents.find((i: any) => i.check === 'db');
    }, 5_000);
    const acked = await admin('POST', `/v1/apps/fo-acked/incidents/${incident.id}/ack`, { by: 'ops@fo-acked.example' });
    expect(acked.status).toBe(200);
    await sleep(6_000);
    expect(await mails('ops@fo-acked.example', 'Ledger down')).toEqual([]);
    const { body } = await admin('GET', `/v1/apps/fo-acked/events/${failed.body.eventId}`);
    expect(body.deliveries.filter((d: any) => d.notifierId === mail)).toEqual([]);
  }, 20_000);
});

describe('contacts and groups in steps and failovers', () => {
  /** A contact of the app reached by e-mail at `to`: its id. */
  const contact = async (app: string, name: string, to: string): Promise<string> => {
    const res = await admin('POST', `/v1/apps/${app}/contacts`, { name, channels: [{ channel: 'email', target: { to: [to] } }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.contact.id as string;
  };

  it('step 1 names a contact, step 2 a group: each is mailed in turn, marked with its step', async () => {
    const key = await herald.createApp('esc-people');
    const ana = await contact('esc-people', 'Ana', 'ana@esc-people.example');
    const ben = await contact('esc-people', 'Ben', 'ben@esc-people.example');
    const group = await admin('POST', '/v1/apps/esc-people/contact-groups', { name: 'Leads', members: [ben] });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    const policy = await admin('POST', '/v1/apps/esc-people/notifiers', {
      name: 'On call',
      events: ['check.status'],
      escalation: {
        steps: [
          { afterSeconds: 0, notify: [{ contact: ana }] },
          { afterSeconds: 2, notify: [{ group: group.body.group.id }] },
        ],
      },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    const failed = await check(key, 'ERROR', 'Billing down');
    await eventually(async () => (await mails('ana@esc-people.example', 'Billing down')).length > 0, 8_000, "step 1's mail to Ana");
    await eventually(async () => (await mails('ben@esc-people.example', 'Billing down')).length > 0, 8_000, "step 2's mail to Ben");
    const { body } = await admin('GET', `/v1/apps/esc-people/events/${failed.body.eventId}`);
    const steps = body.deliveries
      .filter((d: any) => d.escalation)
      .map((d: any) => `${d.escalation.step} ${d.recipient}`)
      .sort();
    expect(steps).toEqual(['1 ana@esc-people.example', '2 ben@esc-people.example']);
  }, 20_000);

  it('a failover to a contact mails the contact; deleting the contact while named is 409', async () => {
    receiver.respond((req) => ({ status: req.path === '/fo-person' ? 410 : 200 }));
    const key = await herald.createApp('fo-person');
    const cleo = await contact('fo-person', 'Cleo', 'cleo@fo-person.example');
    const webhook = await admin('POST', '/v1/apps/fo-person/notifiers', {
      name: 'Hook',
      channel: 'webhook',
      target: { url: `${receiver.url}/fo-person` },
      events: ['app_crashed'],
      failover: { to: [{ contact: cleo }] },
    });
    expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
    await herald.call('POST', '/v1/events', { key, body: { type: 'app_crashed', title: 'Cron crashed' } });
    await eventually(async () => (await mails('cleo@fo-person.example', 'Cron crashed')).length > 0, 8_000, 'the failover mail to Cleo');
    const gone = await admin('DELETE', `/v1/apps/fo-person/contacts/${cleo}`);
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe('contact_in_use');
  }, 20_000);

  it("a step's delivery to a contact that failed is resent to the contact's own channel (rebuilt from the step)", async () => {
    let refusing = true;
    receiver.respond((req) => ({ status: req.path === '/esc-resend' && refusing ? 410 : 200 }));
    const key = await herald.createApp('esc-resend');
    const dora = await admin('POST', '/v1/apps/esc-resend/contacts', {
      name: 'Dora',
      channels: [{ channel: 'webhook', target: { url: `${receiver.url}/esc-resend` } }],
    });
    expect(dora.status, JSON.stringify(dora.body)).toBe(201);
    await admin('POST', '/v1/apps/esc-resend/notifiers', {
      name: 'On call',
      events: ['check.status'],
      escalation: { steps: [{ afterSeconds: 0, notify: [{ contact: dora.body.contact.id }] }] },
    });
    const failed = await check(key, 'ERROR', 'Mail relay down');
    const step = await eventually(async () => {
      const read = await admin('GET', `/v1/apps/esc-resend/events/${failed.body.eventId}`);
      return read.body.deliveries.find((d: any) => d.escalation && d.status === 'failed');
    }, 8_000);
    refusing = false;
    const resent = await admin('POST', `/v1/apps/esc-resend/deliveries/${step.id}/resend`);
    expect(resent.status, JSON.stringify(resent.body)).toBe(202);
    await eventually(async () => {
      const read = await admin('GET', `/v1/apps/esc-resend/deliveries/${step.id}`);
      return read.body.delivery.status === 'sent';
    }, 8_000);
    expect(arrivals('/esc-resend', 'Mail relay down').length).toBeGreaterThanOrEqual(2);
  }, 20_000);

  it('refuses a step naming a contact that is not there, naming the field', async () => {
    await herald.createApp('esc-nobody');
    const res = await admin('POST', '/v1/apps/esc-nobody/notifiers', {
      name: 'On call',
      escalation: { steps: [{ afterSeconds: 0, notify: [{ contact: 'con_01kbx0000000000000000000aa' }] }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path)).toEqual(['escalation.steps.0.notify.0.contact']);
  });
});
