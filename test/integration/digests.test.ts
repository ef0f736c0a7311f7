import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHerald, type TestHerald } from '../support/herald.js';
import { eventually, startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver.js';

/**
 * Digests as a user meets them, against the emulators with the timer queue fed as on AWS: a
 * window's events are one message (to a webhook as JSON, by e-mail, in Slack), a full one goes
 * early, `sendFirst` sends a window's first event at once, and a schedule ends windows at its
 * times.
 */

let herald: TestHerald;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  herald = await startTestHerald();
  herald.startDelivering();
});
afterAll(async () => {
  await herald?.stop();
  await receiver?.close();
});

const bodyOf = (r: ReceivedRequest) => JSON.parse(r.body);
const at = (path: string) => receiver.requests.filter((r) => r.path === path);
const digestsAt = (path: string) => at(path).filter((r) => bodyOf(r).event_type === 'digest');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function appDigesting(id: string, digest: object, notifier: object = {}): Promise<string> {
  return herald.createApp(id, {
    notifiers: [
      { name: 'Digest', channel: 'webhook', target: { url: `${receiver.url}/${id}` }, events: ['*'], throttle: false, digest, ...notifier },
    ],
  });
}

async function post(key: string, events: object[]): Promise<void> {
  const answers = await Promise.all(events.map((body) => herald.call('POST', '/v1/events', { key, body })));
  for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(202);
}

const mix = (): object[] => [
  ...Array.from({ length: 9 }, (_, n) => ({ type: 'app_deployed', title: `Deployed v${n}` })),
  { type: 'app_crashed', title: 'Web crashed 🔥' },
  { type: 'app_crashed', title: 'Worker crashed' },
  { type: 'database_backup_failed', title: 'Nightly backup failed' },
];

describe('digests', () => {
  it('12 events of a window are one message: the count since when, by type, and the list as JSON', async () => {
    const key = await appDigesting('shop', { windowSeconds: 3 });
    await post(key, mix());
    const [digest] = await eventually(async () => digestsAt('/shop').length > 0 && digestsAt('/shop'), 15_000);
    await sleep(1500);
    expect(at('/shop')).toHaveLength(1); // nothing sent one by one
    const body = bodyOf(digest as ReceivedRequest);
    expect(body.title).toMatch(/^12 events in Shop since \d\d:\d\d: 9 app_deployed, 2 app_crashed, 1 database_backup_failed$/);
    expect(body.group).toMatchObject({ count: 12, more: 0, types: { app_deployed: 9, app_crashed: 2, database_backup_failed: 1 } });
    expect(body.group.items.map((m: { title: string }) => m.title)).toContain('Web crashed 🔥');
    expect(body.severity).toBe('critical');
  });

  it('by e-mail and in Slack too: one mail, one Slack message', async () => {
    const key = await herald.createApp('blog', {
      notifiers: [
        {
          name: 'Mail',
          channel: 'email',
          target: { to: ['ops@blog.example'] },
          events: ['*'],
          throttle: false,
          digest: { windowSeconds: 2 },
        },
        {
          name: 'Slack',
          channel: 'slack',
          target: { url: `${herald.standIns.url}/_local/slack/services/T000/B000/DIGEST0000000000000000000` },
          events: ['*'],
          throttle: false,
          digest: { windowSeconds: 2 },
        },
      ],
    });
    await post(key, mix().slice(8));
    const mails = await eventually(async () => {
      const { emails } = (await herald.call('GET', '/_local/outbox/email')).body;
      const digests = (emails as any[]).filter((m) => m.destination.to.includes('ops@blog.example'));
      return digests.length > 0 && digests;
    }, 15_000);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toMatch(
      /\[Blog\] CRITICAL: 4 events in Blog since \d\d:\d\d: 2 app_crashed, 1 app_deployed, 1 database_backup_failed/,
    );
    expect(mails[0].body.text_part ?? mails[0].body.text ?? JSON.stringify(mails[0])).toContain('Nightly backup failed');
    const inSlack = () => herald.standIns.delivered('slack').filter((m: any) => JSON.stringify(m).includes('4 events in Blog'));
    await eventually(async () => inSlack().length > 0, 10_000, 'the digest in Slack');
    await sleep(500);
    expect(inSlack()).toHaveLength(1);
  });

  it('a window that fills (maxItems) goes at once, not at its end', async () => {
    const key = await appDigesting('full', { windowSeconds: 600, maxItems: 5 });
    const started = Date.now();
    await post(key, mix().slice(0, 5));
    const [digest] = await eventually(async () => digestsAt('/full').length > 0 && digestsAt('/full'), 15_000);
    expect((digest as ReceivedRequest).at - started).toBeLessThan(10_000);
    expect(bodyOf(digest as ReceivedRequest).group.count).toBe(5);
  });

  it("sendFirst: a window's first event is sent at once, the rest digested", async () => {
    const key = await appDigesting('first', { windowSeconds: 3, sendFirst: true });
    await post(key, [{ type: 'app_deployed', title: 'Deployed v1' }]);
    const [first] = await eventually(async () => at('/first').length > 0 && at('/first'), 10_000);
    expect(bodyOf(first as ReceivedRequest)).toMatchObject({ event_type: 'app_deployed', title: 'Deployed v1' });
    await post(
      key,
      [2, 3, 4].map((n) => ({ type: 'app_deployed', title: `Deployed v${n}` })),
    );
    const [digest] = await eventually(async () => digestsAt('/first').length > 0 && digestsAt('/first'), 15_000);
    expect(bodyOf(digest as ReceivedRequest).group).toMatchObject({ count: 3 });
    expect(
      bodyOf(digest as ReceivedRequest)
        .group.items.map((m: { title: string }) => m.title)
        .sort(),
    ).toEqual(['Deployed v2', 'Deployed v3', 'Deployed v4']);
  });

  it('a schedule ends each window at its next time (every 3 s here; its time zone: test/unit/core/grouping.test.ts)', async () => {
    const key = await appDigesting('cron', { schedule: '*/3 * * * * *', timeZone: 'Europe/Berlin' });
    await post(key, mix().slice(0, 2));
    const [digest] = await eventually(async () => digestsAt('/cron').length > 0 && digestsAt('/cron'), 15_000);
    const sentAt = new Date(bodyOf(digest as ReceivedRequest).occurred_at);
    expect(sentAt.getUTCSeconds() % 3).toBe(0);
    expect(bodyOf(digest as ReceivedRequest).group.count).toBe(2);
  });

  it('refuses a digest that names neither or both of windowSeconds and schedule, a bad pattern, or one with grouping', async () => {
    const refused = async (digest: object, extra: object = {}) =>
      (
        await herald.call('POST', '/v1/apps/shop/notifiers', {
          key: herald.adminKey,
          body: { name: 'x', channel: 'webhook', target: { url: `${receiver.url}/x` }, digest, ...extra },
        })
      ).body;
    expect((await refused({})).error.details).toEqual([expect.objectContaining({ path: 'digest.windowSeconds' })]);
    expect((await refused({ windowSeconds: 60, schedule: '0 9 * * *' })).error.details).toEqual([
      expect.objectContaining({ path: 'digest.windowSeconds' }),
    ]);
    expect((await refused({ schedule: 'every morning' })).error.details).toEqual([expect.objectContaining({ path: 'digest.schedule' })]);
    expect((await refused({ windowSeconds: 60 }, { grouping: { by: [] } })).error.details).toEqual([
      expect.objectContaining({ path: 'digest' }),
    ]);
  });
});
