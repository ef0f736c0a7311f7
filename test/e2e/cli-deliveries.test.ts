import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, herald, startHerald } from '../support/cli.js';
import { startLocalHerald, type LocalHerald } from '../support/local-mode.js';
import { eventually, startReceiver, type Receiver } from '../support/receiver.js';

/** The `herald` command on what happens after an event: deliveries, dead letters, previews, the catalog, signatures. */
let home: string;
let local: LocalHerald;
let receiver: Receiver;
let env: Record<string, string>;
let appKey: string;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let failedSlack: { id: string; eventId: string };

const post = async (body: object) => {
  const res = await local.call('POST', '/v1/events', appKey, body);
  expect(res.status).toBe(202);
  return res.body.eventId as string;
};
const addNotifier = async (body: object) =>
  (await local.call('POST', '/v1/apps/ops/notifiers', local.adminKey, body)).body.notifier.id as string;
const deliveriesOf = async (eventId: string) =>
  (await local.call('GET', `/v1/apps/ops/events/${eventId}`, local.adminKey)).body.deliveries as any[];
const settledDeliveries = (eventId: string, status: string) =>
  eventually(
    async () => {
      const ds = await deliveriesOf(eventId);
      return ds.length > 0 && ds.every((d) => d.status === status) && ds;
    },
    20_000,
    `deliveries of ${eventId} ${status}`,
  );

beforeAll(async () => {
  buildCli();
  home = mkdtempSync(join(tmpdir(), 'herald-cli-'));
  receiver = await startReceiver();
  // Two attempts, a second apart: dead letters within seconds.
  local = await startLocalHerald(join(home, '.herald'), { HERALD_RETRY_SCHEDULE: '1' });
  env = { HERALD_URL: local.url, HERALD_KEY: local.adminKey, HERALD_APP: 'ops', HERALD_CONFIG: join(home, 'none.json') };
  appKey = (await local.call('POST', '/v1/apps', local.adminKey, { id: 'ops', name: 'Ops', owner: { email: 'o@ops.example' } })).body
    .apiKey;
  receiver.respond((req) => ({ status: req.path.startsWith('/gone') ? 404 : req.path.startsWith('/down') ? 503 : 200 }));
});
afterAll(async () => {
  await local?.stop();
  await receiver?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('herald deliveries', () => {
  it('ls --status failed --channel slack --since 1h: the failed Slack delivery, with its last attempt', async () => {
    await addNotifier({ name: 'Gone Slack', channel: 'slack', target: { url: `${receiver.url}/gone/slack` }, events: ['deploy.failed'] });
    await addNotifier({ name: 'Hook', channel: 'webhook', target: { url: `${receiver.url}/ok` }, events: ['deploy.failed'] });
    const eventId = await post({ type: 'deploy.failed', title: 'Deploy failed', severity: 'warning' });
    await eventually(
      async () => (await deliveriesOf(eventId)).every((d) => d.status === 'failed' || d.status === 'sent'),
      15_000,
      'outcomes',
    );

    const ls = await herald(['deliveries', 'ls', '--status', 'failed', '--channel', 'slack', '--since', '1h'], { env });
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/^CREATED\s+STATUS\s+CHANNEL\s+RECIPIENT\s+ATTEMPTS\s+LAST\s+VIA\s+ID\n/);
    // The recipient masked: every path segment that can carry a token shows 1 character and ****.
    expect(ls.stdout).toMatch(
      /\ds ago\s+failed\s+slack\s+http:\/\/127\.0\.0\.1:\d+\/g\*\*\*\*\/slack\s+1\s+404 .*HTTP 404.* \d+ ms\s+dlv_/,
    );
    const json = await herald(['deliveries', 'ls', '--status', 'failed', '--channel', 'slack', '--since', '1h', '--json'], { env });
    expect(json.json.deliveries.map((d: any) => [d.channel, d.status, d.eventId])).toEqual([['slack', 'failed', eventId]]);
    failedSlack = json.json.deliveries[0];
    expect(await herald(['deliveries', 'ls', '--since', 'yesterday'], { env })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('is not a time'),
    });
  });

  it('ls --since/--until take an ISO time or a duration; a bare number is a usage error naming the flag, and nothing is asked', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const ids = async (...args: string[]) => {
      const run = await herald(['deliveries', 'ls', '--status', 'failed', '--channel', 'slack', ...args, '--json'], { env });
      expect(run.code, run.stderr).toBe(0);
      return run.json.deliveries.map((d: any) => d.id);
    };
    expect(await ids('--since', hourAgo, '--until', new Date(Date.now() + 60_000).toISOString())).toEqual([failedSlack.id]);
    expect(await ids('--since', hourAgo.slice(0, 10), '--until', hourAgo)).toEqual([]); // a date alone
    // Herald's URL is the receiver's: what the command would ask arrives there.
    const asked = () => receiver.requests.filter((r) => r.path.startsWith('/v1/')).length;
    for (const [flag, value] of [
      ['--since', '90'],
      ['--until', '2'],
      ['--since', '2026'],
    ] as const) {
      const run = await herald(['deliveries', 'ls', flag, value], { env: { ...env, HERALD_URL: receiver.url } });
      expect(run, `${flag} ${value}`).toMatchObject({ code: 2, stderr: expect.stringContaining(`${flag} ${value} is not a time`) });
    }
    expect(asked()).toBe(0);
  });

  it('tail follows the deliveries made after it started, until Ctrl-C', async () => {
    await addNotifier({ name: 'Tail hook', channel: 'webhook', target: { url: `${receiver.url}/ok/tail` }, events: ['tail.test'] });
    const before = await post({ type: 'tail.test', title: 'before' });
    await settledDeliveries(before, 'sent');
    for (const json of [false, true]) {
      // A number of seconds, or a duration.
      const tail = startHerald(['deliveries', 'tail', '--interval', json ? '1s' : '1', ...(json ? ['--json'] : [])], env);
      if (!json) await tail.waitFor(/Following the deliveries of ops/, 'stderr');
      else await new Promise((r) => setTimeout(r, 1500)); // its first look
      const after = await post({ type: 'tail.test', title: 'after' });
      const [sent] = await settledDeliveries(after, 'sent');
      await tail.waitFor(json ? new RegExp(`"id":"${sent.id}".*"status":"sent"`) : new RegExp(`sent\\s+webhook → .*${sent.id}`));
      expect(await tail.interrupt()).toBe(0);
      expect(tail.stdout()).not.toContain(((await deliveriesOf(before))[0] as any).id); // only what came after it started
      if (json) {
        const lines = tail
          .stdout()
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        expect(lines.at(-1)).toMatchObject({ id: sent.id, status: 'sent', eventId: after });
      }
    }
  });

  it('Ctrl-C ends tail at once, not after the wait between two looks', async () => {
    const tail = startHerald(['deliveries', 'tail', '--interval', '1m'], env);
    await tail.waitFor(/Following the deliveries of ops/, 'stderr');
    const at = Date.now();
    expect(await tail.interrupt()).toBe(0);
    expect(Date.now() - at).toBeLessThan(5000);
  });

  it('tail --interval takes seconds or a duration, at least 1 s: anything else is a usage error naming it, and nothing is asked', async () => {
    // Herald's URL is the receiver's: what the command would ask arrives there.
    const asked = () => receiver.requests.filter((r) => r.path.startsWith('/v1/')).length;
    for (const interval of ['5x', '0', '0s', '0.3']) {
      const run = await herald(['deliveries', 'tail', '--interval', interval], { env: { ...env, HERALD_URL: receiver.url } });
      expect(run, interval).toMatchObject({ code: 2, stderr: expect.stringContaining(`--interval ${interval}`) });
    }
    expect(asked()).toBe(0);
  });

  it('ls counts every attempt of a delivery, past the 10 Herald keeps', async () => {
    await addNotifier({ name: 'Gone many', channel: 'webhook', target: { url: `${receiver.url}/gone/many` }, events: ['many.failed'] });
    const eventId = await post({ type: 'many.failed', title: 'Many attempts' });
    let [failed] = await settledDeliveries(eventId, 'failed');
    for (let n = 1; n <= 11; n++) {
      expect((await local.call('POST', `/v1/apps/ops/deliveries/${failed.id}/resend`, local.adminKey)).status).toBe(202);
      [failed] = await eventually(
        async () => {
          const ds = await deliveriesOf(eventId);
          return ds[0]?.status === 'failed' && ds[0].attemptCount === n + 1 && ds;
        },
        15_000,
        `attempt ${n + 1}`,
      );
    }
    expect(failed.attempts).toHaveLength(10); // the first 2 and the latest 8
    const ls = await herald(['deliveries', 'ls', '--event', eventId], { env });
    expect(ls.stdout).toMatch(new RegExp(`failed\\s+webhook\\s+\\S+\\s+12\\s+404 .*${failed.id}`));
  });

  it('notifiers test: a test delivery that fails prints how, and exits 1', async () => {
    const id = await addNotifier({ name: 'Gone test', channel: 'webhook', target: { url: `${receiver.url}/gone/test` }, events: ['none'] });
    const run = await herald(['notifiers', 'test', id], { env });
    expect(run).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/^Test failed → \S+ \(404, .*HTTP 404/),
      stderr: expect.stringMatching(/^error: the test delivery dlv_\w+ failed\n$/),
    });
    const json = await herald(['notifiers', 'test', id, '--json'], { env });
    expect(json.code).toBe(1);
    expect(json.json.delivery).toMatchObject({ status: 'failed', attempts: [{ statusCode: 404 }] });
  });

  it("resend: Herald's refusal, with its message (exit 1)", async () => {
    const run = await herald(['deliveries', 'resend', 'dlv_unknown', '--json'], { env });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stderr)).toMatchObject({ error: { status: 404, code: 'not_found' } });
  });
});

describe('herald deliveries, with the API of issue 12', () => {
  it('ls --channel leaves out the other channels, --status takes several', async () => {
    await addNotifier({ name: 'Gone hook', channel: 'webhook', target: { url: `${receiver.url}/gone/hook` }, events: ['deploy.failed'] });
    const eventId = await post({ type: 'deploy.failed', title: 'Deploy failed again', severity: 'warning' });
    await eventually(async () => (await deliveriesOf(eventId)).filter((d) => d.status === 'failed').length === 2, 15_000, 'two failures');
    const slack = await herald(['deliveries', 'ls', '--event', eventId, '--status', 'failed', '--channel', 'slack', '--json'], { env });
    expect(slack.json.deliveries.map((d: any) => d.channel)).toEqual(['slack']);
    const both = await herald(['deliveries', 'ls', '--event', eventId, '--status', 'failed,dead', '--json'], { env });
    expect(both.json.deliveries.map((d: any) => d.channel).sort()).toEqual(['slack', 'webhook']);
  });

  it('ls --limit says on stderr when there are more, with the --cursor that shows them; --json keeps nextCursor', async () => {
    const one = await herald(['deliveries', 'ls', '--limit', '1'], { env });
    expect(one.code, one.stderr).toBe(0);
    const cursor = /^More than 1: the next ones with --cursor (\S+)\n$/.exec(one.stderr)?.[1] as string;
    expect(cursor, one.stderr).toBeDefined();
    const first = await herald(['deliveries', 'ls', '--limit', '1', '--json'], { env });
    expect(first).toMatchObject({ stderr: '', json: { nextCursor: cursor } });
    const next = await herald(['deliveries', 'ls', '--limit', '1', '--cursor', cursor, '--json'], { env });
    expect(next.json.deliveries).toHaveLength(1);
    expect(next.json.deliveries[0].id).not.toBe(first.json.deliveries[0].id);
  });

  it('resend: a failed delivery is attempted again, under the same id', async () => {
    const before = receiver.requests.filter((r) => r.path === '/gone/slack').length;
    const run = await herald(['deliveries', 'resend', failedSlack.id, '--json'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.delivery.id).toBe(failedSlack.id);
    await eventually(async () => receiver.requests.filter((r) => r.path === '/gone/slack').length > before, 15_000, 'the resent attempt');
  });
});

describe('herald dlq', () => {
  it('ls --family lists the dead deliveries of a family, with their last error', async () => {
    await addNotifier({ name: 'Dead hook', channel: 'webhook', target: { url: `${receiver.url}/down/listed` }, events: ['listed.failed'] });
    const [dead] = await settledDeliveries(await post({ type: 'listed.failed', title: 'listed' }), 'dead');
    const ls = await herald(['dlq', 'ls', '--family', 'webhook'], { env });
    expect(ls.stdout).toMatch(/^DIED\s+CHANNEL\s+RECIPIENT\s+ERROR\s+ID\n/);
    expect(ls.stdout).toContain(dead.id);
    expect((await herald(['dlq', 'ls', '--family', 'webhook', '--json'], { env })).json.deliveries.map((d: any) => d.id)).toContain(
      dead.id,
    );
  });

  it('ls counts the dead letters by family; redrive sends them again once the receiver is back', async () => {
    // The test above left its dead delivery in place.
    const before: number = (await herald(['dlq', 'ls', '--json'], { env })).json.channels.webhook.messages;
    await addNotifier({ name: 'Down hook', channel: 'webhook', target: { url: `${receiver.url}/down/hook` }, events: ['backup.failed'] });
    for (let i = 0; i < 3; i++) await settledDeliveries(await post({ type: 'backup.failed', title: `backup ${i}` }), 'dead');
    const ls = await herald(['dlq', 'ls'], { env });
    expect(ls.stdout).toMatch(new RegExp(`FAMILY\\s+DEAD\\n(.*\\n)*webhook\\s+${before + 3}\\n`));
    expect((await herald(['dlq', 'ls', '--json'], { env })).json.channels.webhook).toEqual({ messages: before + 3 });
    // One at a time: the next page's --cursor on stderr, and nextCursor with --json.
    const one = await herald(['dlq', 'ls', '--family', 'webhook', '--limit', '1'], { env });
    const cursor = /^More than 1: the next ones with --cursor (\S+)\n$/.exec(one.stderr)?.[1] as string;
    expect(cursor, one.stderr).toBeDefined();
    const next = await herald(['dlq', 'ls', '--family', 'webhook', '--limit', '1', '--cursor', cursor, '--json'], { env });
    expect(next).toMatchObject({ code: 0, stderr: '', json: { deliveries: [expect.anything()], nextCursor: expect.any(String) } });
    expect(one.stdout).not.toContain(next.json.deliveries[0].id);

    receiver.respond(() => ({ status: 200 }));
    const redrive = await herald(['dlq', 'redrive', '--json'], { env });
    expect(redrive.json).toEqual({ moved: { webhook: before + 3 }, total: before + 3 });
    await eventually(
      async () => receiver.requests.filter((r) => r.path === '/down/hook' && JSON.parse(r.body).title.startsWith('backup')).length >= 9,
      15_000,
      'the redriven deliveries',
    );
    expect((await herald(['dlq', 'redrive'], { env })).stdout).toBe('Moved 0 dead deliveries back to their queues.\n');
    expect((await herald(['dlq', 'ls', '--json'], { env })).json.channels.webhook).toEqual({ messages: 0 });
  });
});

describe('herald preview and catalog', () => {
  it("preview: an event's message in German, by email", async () => {
    const run = await herald(['preview', 'app_deployed', '--locale', 'de', '--channel', 'email', '--title', 'v42'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^email\.subject\n {2}\[Ops\] .*v42/);
    expect(run.stdout).not.toContain('sms.text');
    const json = await herald(['preview', 'app_deployed', '--locale', 'de', '--channel', 'email', '--json'], { env });
    expect(json.json).toMatchObject({
      locale: 'de',
      parts: { email: { subject: expect.any(String), html: expect.stringContaining('<') } },
    });
    expect(json.json.placeholders['event.displayName']).toBe('App bereitgestellt');
    expect((await herald(['preview', 'app_deployed', '--channel', 'fax'], { env })).code).toBe(2);
  });

  it('catalog: the event types, as a table and as JSON, with any key', async () => {
    const run = await herald(['catalog', '--category', 'monitoring'], { env: { ...env, HERALD_KEY: appKey } });
    expect(run.stdout).toMatch(/^TYPE\s+CATEGORY\s+SEVERITY\s+CRITICAL\s+DISPLAYNAME\n/);
    expect(run.stdout).toMatch(/monitor\.down\s+monitoring\s+critical\s+critical\s+Monitor down/);
    const json = await herald(['catalog', '--json'], { env });
    expect(json.json.eventTypes.map((t: any) => t.type)).toEqual(expect.arrayContaining(['app_deployed', 'exception', 'monitor.down']));
  });
});

describe('herald verify', () => {
  it("says whether a request carries the notifier's Standard Webhooks signature", async () => {
    await addNotifier({
      name: 'Signed',
      channel: 'webhook',
      target: { url: `${receiver.url}/ok/signed`, secret: SECRET },
      events: ['signed.test'],
    });
    await settledDeliveries(await post({ type: 'signed.test', title: 'Signed' }), 'sent');
    const request = receiver.requests.find((r) => r.path === '/ok/signed');
    const file = join(home, 'request.json');
    writeFileSync(file, JSON.stringify({ headers: request?.headers, body: request?.body }));
    const valid = await herald(['verify', '--secret', SECRET, '--file', file]);
    expect(valid).toMatchObject({ code: 0, stdout: expect.stringMatching(/^valid: dlv_\w+ signed at /) });
    const fromStdin = await herald(['verify', '--secret', SECRET, '--json'], {
      input: JSON.stringify({ headers: request?.headers, body: JSON.parse(request?.body ?? '') }),
    });
    expect(fromStdin.json).toMatchObject({ valid: true, id: request?.headers['webhook-id'] });

    const tampered = await herald(['verify', '--secret', SECRET], {
      input: JSON.stringify({ headers: request?.headers, body: request?.body.replace('Signed', 'Forged') }),
    });
    expect(tampered).toMatchObject({ code: 1, stderr: expect.stringContaining('invalid: No matching signature found') });
    const otherSecret = await herald(['verify', '--secret', 'whsec_b3RoZXJzZWNyZXRvdGhlcnNlY3JldA==', '--json'], {
      input: JSON.stringify({ headers: request?.headers, body: request?.body }),
    });
    expect(JSON.parse(otherSecret.stderr)).toMatchObject({ valid: false });
    expect((await herald(['verify'], { input: '{}' })).code).toBe(2);
    // A file that cannot be read is a usage error (2), not an invalid signature (1).
    const missing = join(home, 'nope.json');
    expect(await herald(['verify', '--secret', SECRET, '--file', missing])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`--file: cannot read ${missing}`),
    });
  });
});
