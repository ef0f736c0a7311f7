import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { herald, startCliHerald, type CliHerald } from '../support/cli.js';
import { eventually } from '../support/receiver.js';

/**
 * `herald notifiers` with grouping against `npm start`: a notifier added with --group-by and
 * --group-wait sends one notification for five events of a cluster, `herald deliveries`
 * shows the five grouped and carried by it; edit changes a part and keeps the rest, refuses
 * a bad duration, and --no-grouping sends each event on its own again.
 */
let shop: CliHerald;
let env: Record<string, string>;
let id: string;

const at = (path: string) => shop.receiver.requests.filter((r) => r.path === path);

beforeAll(async () => {
  shop = await startCliHerald('shop');
  ({ env } = shop);
});
afterAll(() => shop?.stop());

describe('herald notifiers with grouping', () => {
  it('add --group-by data.cluster --group-wait 2s: 5 events of a cluster are 1 notification; deliveries shows 5 grouped, carried by it', async () => {
    const url = `${shop.receiver.url}/grouped`;
    const add = await herald(
      [
        'notifiers',
        'add',
        '--name',
        'Cluster hook',
        '--channel',
        'webhook',
        '--target-url',
        url,
        '--group-by',
        'data.cluster',
        '--group-wait',
        '2s',
      ],
      { env },
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(
      /^Added notifier ntf_\w+ \(Cluster hook, webhook → http:\/\/127\.0\.0\.1:\d+\/g\*\*\*\*, grouped by data\.cluster, wait 2s, every 5m, repeat 4h\)\.\nSigning secret, shown this once: whsec_\S+\n$/,
    );
    id = /ntf_\w+/.exec(add.stdout)?.[0] as string;

    const ls = await herald(['notifiers', 'ls'], { env });
    expect(ls.stdout).toMatch(/^ID\s+NAME\s+CHANNEL\s+TARGET\s+EVENTS\s+ENABLED\s+GROUPING\s+DIGEST\n/);
    expect(ls.stdout).toMatch(
      new RegExp(`${id}\\s+Cluster hook\\s+webhook\\s+\\S+\\s+\\*\\s+yes\\s+by data\\.cluster, wait 2s, every 5m, repeat 4h\\n`),
    );
    const show = await herald(['notifiers', 'show', id], { env });
    expect(show.stdout).toMatch(/^grouping:\s+by data\.cluster, wait 2s, every 5m, repeat 4h$/m);
    expect((await herald(['notifiers', 'show', id, '--json'], { env })).json.notifier.grouping).toEqual({
      by: ['data.cluster'],
      waitSeconds: 2,
      intervalSeconds: 300,
      repeatSeconds: 14_400,
    });

    const events = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => shop.post({ type: 'node.down', title: `Node ${n} down`, data: { cluster: 'eu-3' } })),
    );
    const [notice] = await eventually(async () => at('/grouped').length > 0 && at('/grouped'), 15_000, 'the group notification');
    expect(JSON.parse(notice?.body ?? '{}')).toMatchObject({ event_type: 'group', group: { count: 5 } });
    const carrier = notice?.headers['webhook-id'] as string;

    const grouped = await herald(['deliveries', 'ls', '--status', 'grouped', '--notifier', id], { env });
    expect(grouped.code, grouped.stderr).toBe(0);
    const rows = grouped.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(5);
    for (const row of rows)
      expect(row).toMatch(new RegExp(`^\\d+s ago\\s+grouped\\s+webhook\\s+\\S+\\s+0\\s+carried by ${carrier}\\s+dlv_`));
    // The carrier: the group's own event, found by its type.
    const carriers = await herald(['deliveries', 'ls', '--type', 'group', '--notifier', id, '--json'], { env });
    expect(carriers.json.deliveries.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([[carrier, 'sent']]);
    const ofEvent = (await herald(['deliveries', 'ls', '--event', events[0] as string, '--json'], { env })).json.deliveries;
    expect(ofEvent.find((d: { notifierId: string }) => d.notifierId === id)).toMatchObject({
      status: 'grouped',
      reason: `carried by ${carrier}`,
    });
    expect(at('/grouped')).toHaveLength(1);
  }, 60_000);

  it('edit changes what it names and keeps the rest; a bad duration is refused naming it; --no-grouping sends each event again', async () => {
    const edit = await herald(['notifiers', 'edit', id, '--group-by', 'check', '--group-by', 'data.cluster', '--group-interval', '10m'], {
      env,
    });
    expect(edit.code, edit.stderr).toBe(0);
    expect(edit.stdout).toMatch(/grouped by check,data\.cluster, wait 2s, every 10m, repeat 4h\.\n$/);

    const tooLong = await herald(['notifiers', 'edit', id, '--group-wait', '2h'], { env });
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toMatch(/^ {2}grouping\.waitSeconds: .*3600/m);
    const notADuration = await herald(['notifiers', 'edit', id, '--group-wait', 'soon'], { env });
    expect(notADuration).toMatchObject({ code: 2, stderr: expect.stringContaining('--group-wait soon: a duration') });
    const both = await herald(['notifiers', 'edit', id, '--no-grouping', '--group-by', 'check'], { env });
    expect(both).toMatchObject({ code: 2, stderr: expect.stringContaining('not both') });
    expect((await herald(['notifiers', 'show', id], { env })).stdout).toMatch(
      /^grouping:\s+by check,data\.cluster, wait 2s, every 10m, repeat 4h$/m,
    );

    const off = await herald(['notifiers', 'edit', id, '--no-grouping'], { env });
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).not.toContain('grouped');
    expect((await herald(['notifiers', 'show', id], { env })).stdout).toMatch(/^grouping:\s+none: each event sent on its own$/m);
    await shop.post({ type: 'node.down', title: 'Node 6 down', data: { cluster: 'eu-3' } });
    const [alone] = await eventually(
      async () =>
        at('/grouped').filter((r) => r.body.includes('Node 6 down')).length > 0 &&
        at('/grouped').filter((r) => r.body.includes('Node 6 down')),
      15_000,
      'the event, on its own',
    );
    expect(JSON.parse(alone?.body ?? '{}')).toMatchObject({ event_type: 'node.down', title: 'Node 6 down' });
  }, 60_000);
});
