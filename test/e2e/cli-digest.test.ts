import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { herald, startCliHerald, type CliHerald } from '../support/cli.js';
import { eventually } from '../support/receiver.js';

/**
 * `herald notifiers` with a digest against `npm start`: a notifier added with --digest-window
 * sends one digest for three events, `herald deliveries` shows the three grouped and carried
 * by it; edit turns the window into a schedule (the window removed), refuses a bad pattern
 * naming it and a window with a schedule, and --no-digest sends each event on its own again.
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

describe('herald notifiers with a digest', () => {
  it('add --digest-window 2s: 3 events are 1 digest; deliveries shows 3 grouped, carried by it', async () => {
    const url = `${shop.receiver.url}/digest`;
    const add = await herald(
      [
        'notifiers',
        'add',
        '--name',
        'Digest hook',
        '--channel',
        'webhook',
        '--target-url',
        url,
        '--digest-window',
        '2s',
        '--digest-max',
        '50',
      ],
      { env },
    );
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(
      /^Added notifier ntf_\w+ \(Digest hook, webhook → http:\/\/127\.0\.0\.1:\d+\/d\*\*\*\*, digest every 2s, max 50\)\.\nSigning secret, shown this once: whsec_\S+\n$/,
    );
    id = /ntf_\w+/.exec(add.stdout)?.[0] as string;

    const ls = await herald(['notifiers', 'ls'], { env });
    expect(ls.stdout).toMatch(/^ID\s+NAME\s+CHANNEL\s+TARGET\s+EVENTS\s+ENABLED\s+GROUPING\s+DIGEST\n/);
    expect(ls.stdout).toMatch(new RegExp(`${id}\\s+Digest hook\\s+webhook\\s+\\S+\\s+\\*\\s+yes\\s+every 2s, max 50\\n`));
    const show = await herald(['notifiers', 'show', id], { env });
    expect(show.stdout).toMatch(/^digest:\s+every 2s, max 50$/m);
    expect((await herald(['notifiers', 'show', id, '--json'], { env })).json.notifier.digest).toEqual({ windowSeconds: 2, maxItems: 50 });

    await Promise.all([1, 2, 3].map((n) => shop.post({ type: 'app_deployed', title: `Deployed v${n}` })));
    const [digest] = await eventually(async () => at('/digest').length > 0 && at('/digest'), 15_000, 'the digest');
    expect(JSON.parse(digest?.body ?? '{}')).toMatchObject({ event_type: 'digest', group: { count: 3, types: { app_deployed: 3 } } });
    const carrier = digest?.headers['webhook-id'] as string;

    const grouped = await herald(['deliveries', 'ls', '--status', 'grouped', '--notifier', id], { env });
    expect(grouped.code, grouped.stderr).toBe(0);
    const rows = grouped.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(new RegExp(`grouped\\s+webhook\\s+\\S+\\s+0\\s+carried by ${carrier}\\s+dlv_`));
    const carriers = await herald(['deliveries', 'ls', '--type', 'digest', '--notifier', id, '--json'], { env });
    expect(carriers.json.deliveries.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([[carrier, 'sent']]);
    expect(at('/digest')).toHaveLength(1);
  }, 60_000);

  it('edit --digest-schedule replaces the window; a bad pattern and a window with a schedule are refused; --no-digest sends each event again', async () => {
    const edit = await herald(
      ['notifiers', 'edit', id, '--digest-schedule', '0 9 * * 1-5', '--digest-time-zone', 'Europe/Berlin', '--digest-send-first'],
      { env },
    );
    expect(edit.code, edit.stderr).toBe(0);
    expect(edit.stdout).toMatch(/, digest at 0 9 \* \* 1-5 Europe\/Berlin, max 50, first at once\.\n$/);
    expect((await herald(['notifiers', 'show', id, '--json'], { env })).json.notifier.digest).toEqual({
      schedule: '0 9 * * 1-5',
      timeZone: 'Europe/Berlin',
      maxItems: 50,
      sendFirst: true,
    });

    const badPattern = await herald(['notifiers', 'edit', id, '--digest-schedule', 'every morning'], { env });
    expect(badPattern.code).toBe(1);
    expect(badPattern.stderr).toMatch(/^ {2}digest\.schedule: must be a cron pattern/m);
    const both = await herald(['notifiers', 'edit', id, '--digest-window', '1h', '--digest-schedule', '0 9 * * *'], { env });
    expect(both).toMatchObject({ code: 2, stderr: expect.stringContaining('--digest-window or --digest-schedule, not both') });
    const withGrouping = await herald(['notifiers', 'edit', id, '--group-by', 'check'], { env });
    expect(withGrouping.code).toBe(1);
    expect(withGrouping.stderr).toMatch(/^ {2}digest: /m);
    expect((await herald(['notifiers', 'show', id], { env })).stdout).toMatch(
      /^digest:\s+at 0 9 \* \* 1-5 Europe\/Berlin, max 50, first at once$/m,
    );

    const off = await herald(['notifiers', 'edit', id, '--no-digest'], { env });
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).not.toContain('digest');
    expect((await herald(['notifiers', 'show', id], { env })).stdout).toMatch(/^digest:\s+none$/m);
    await shop.post({ type: 'app_deployed', title: 'Deployed v4' });
    const [alone] = await eventually(
      async () =>
        at('/digest').filter((r) => r.body.includes('Deployed v4')).length > 0 &&
        at('/digest').filter((r) => r.body.includes('Deployed v4')),
      15_000,
      'the event, on its own',
    );
    expect(JSON.parse(alone?.body ?? '{}')).toMatchObject({ event_type: 'app_deployed', title: 'Deployed v4' });
  }, 60_000);
});
